using System.Net;
using System.Net.Sockets;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using FluentAssertions;
using Istio.V1.Auth;
using Microsoft.Extensions.Logging.Abstractions;
using Rigging.ControlPlane.Security;
using Rigging.Proxy.Security;
using Rigging.Proxy.Security.Agent;
using Rigging.Xds.Grpc;
using Rigging.Xds.Grpc.Client;

namespace Rigging.ControlPlane.Tests.Security.Ca;

/// <summary>The CA over real gRPC on the control plane's xDS TLS port, with the proxy's own certificate agent.</summary>
public sealed class CaServiceTests : IAsyncLifetime
{
    private readonly CaTestFiles _files = new();
    private ControlPlaneHost _host = null!;

    private string RootFile => Path.Combine(_files.State, CertificateAuthority.RootCertFileName);

    public async Task InitializeAsync()
    {
        _host = await ControlPlaneHost.StartAsync(new ControlPlaneOptions
        {
            ConfigDirectory = _files.Config,
            XdsPort = 0,
            HttpPort = 0,
            XdsTlsPort = 0,
            StateDirectory = _files.State,
            WorkloadCertificateTtl = TimeSpan.FromMinutes(10),
        });
    }

    [Fact]
    public async Task Agent_obtains_a_certificate_over_tls_and_renews_it_at_half_life()
    {
        var time = new FakeTime(TimeProvider.System.GetUtcNow());
        var secrets = new SecretStore();
        var token = Token("bookinfo", "reviews");
        await using var agent = new CertificateAgent(AgentOptions(() => token, "bookinfo", "reviews"), secrets, time, new Random(7), NullLogger.Instance);
        agent.Start();
        await agent.FirstCertificate.WaitAsync(TimeSpan.FromSeconds(20));
        await WaitAsync(() => agent.NextRenewal is not null);
        await Task.Delay(100); // the renewal timer is registered right after NextRenewal is set

        var first = secrets.Get(SecretStore.WorkloadIdentity)!.Certificate!;
        first.HasPrivateKey.Should().BeTrue();
        first.GetNameInfo(System.Security.Cryptography.X509Certificates.X509NameType.UrlName, false).Should().Be("spiffe://cluster.local/ns/bookinfo/sa/reviews");
        secrets.Get(SecretStore.RootCa)!.TrustedCas.Single().RawData.Should().Equal(_host.CertificateAuthority!.Root.RawData);
        // Renewal is due at half the (10 min + 1 min backdate) life, ± 5 %: about 4.5 minutes from now.
        (agent.NextRenewal!.Value - time.GetUtcNow()).Should().BeCloseTo(TimeSpan.FromSeconds(270), TimeSpan.FromSeconds(40));

        time.Advance(TimeSpan.FromMinutes(2));
        await Task.Delay(200);
        agent.Issued.Should().Be(1, "nothing is due before half the life");
        time.Advance(TimeSpan.FromMinutes(4));
        await WaitAsync(() => agent.Issued == 2, time);
        var second = secrets.Get(SecretStore.WorkloadIdentity)!.Certificate!;
        second.SerialNumber.Should().NotBe(first.SerialNumber);
        agent.Failures.Should().Be(0);
    }

    [Fact]
    public async Task Agent_renews_with_its_certificate_after_the_token_is_gone()
    {
        var time = new FakeTime(TimeProvider.System.GetUtcNow());
        var secrets = new SecretStore();
        var tokenFile = Path.Combine(_files.Root, "token");
        await File.WriteAllTextAsync(tokenFile, Token("default", "sleep"));
        await using var agent = new CertificateAgent(AgentOptions(() => File.ReadAllText(tokenFile), "default", "sleep"), secrets, time, new Random(3), NullLogger.Instance);
        agent.Start();
        await agent.FirstCertificate.WaitAsync(TimeSpan.FromSeconds(20));
        var first = secrets.Get(SecretStore.WorkloadIdentity)!.Certificate!;
        await WaitAsync(() => agent.NextRenewal is not null);
        await Task.Delay(100);

        File.Delete(tokenFile); // a careful operator removes the token once the proxy is up
        time.Advance(TimeSpan.FromMinutes(6));
        await WaitAsync(() => agent.Issued == 2, time);
        var second = secrets.Get(SecretStore.WorkloadIdentity)!.Certificate!;
        second.SerialNumber.Should().NotBe(first.SerialNumber);
        second.GetNameInfo(System.Security.Cryptography.X509Certificates.X509NameType.UrlName, false).Should().Be("spiffe://cluster.local/ns/default/sa/sleep");
        agent.Failures.Should().Be(0);
    }

    [Fact]
    public async Task Agent_keeps_its_certificate_and_retries_with_backoff_when_the_ca_cannot_be_trusted()
    {
        var time = new FakeTime(TimeProvider.System.GetUtcNow());
        var secrets = new SecretStore();
        var root = Path.Combine(_files.Root, "root-copy.pem");
        File.Copy(RootFile, root);
        await using var agent = new CertificateAgent(AgentOptions(() => Token("default", "sleep"), "default", "sleep") with { RootCertFile = root }, secrets, time, new Random(3), NullLogger.Instance);
        agent.Start();
        await agent.FirstCertificate.WaitAsync(TimeSpan.FromSeconds(20));
        var held = secrets.Get(SecretStore.WorkloadIdentity);
        await WaitAsync(() => agent.NextRenewal is not null);
        await Task.Delay(100);

        File.Move(root, root + ".away");
        time.Advance(TimeSpan.FromMinutes(6));
        await WaitAsync(() => agent.Failures >= 1 && agent.NextRenewal < time.GetUtcNow().AddMinutes(1));
        agent.LastError.Should().Contain("root-copy.pem");
        secrets.Get(SecretStore.WorkloadIdentity).Should().BeSameAs(held, "the old certificate stays until a new one arrives");
        (agent.NextRenewal!.Value - time.GetUtcNow()).Should().BeLessThanOrEqualTo(TimeSpan.FromSeconds(1), "the first retry comes after the initial backoff");

        File.Move(root + ".away", root);
        await WaitAsync(() => agent.Issued == 2, time);
        agent.LastError.Should().BeNull();
    }

    [Fact]
    public async Task A_valid_certificate_from_this_ca_renews_its_own_identity_only_and_a_foreign_one_proves_nothing()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var issued = _host.CertificateAuthority!.SignWorkload(CaTestFiles.Csr(key), new SpiffeId("cluster.local", "shop", "cart"));
        using var mine = UsableCertificate.Create(X509Certificate2.CreateFromPem(issued.ChainPem[0]), key);
        using var channel = Channel(mine);
        using var next = ECDsa.Create(ECCurve.NamedCurves.nistP256);

        var renewed = await channel.UnaryAsync(CertificateService.CreateCertificate, new IstioCertificateRequest { Csr = CaTestFiles.Csr(next) }, Call(null));
        CaTestFiles.Pem(renewed.CertChain[0]).GetNameInfo(X509NameType.UrlName, false).Should().Be("spiffe://cluster.local/ns/shop/sa/cart");

        var other = new IstioCertificateRequest { Csr = CaTestFiles.Csr(next, "spiffe://cluster.local/ns/shop/sa/admin") };
        var denied = () => channel.UnaryAsync(CertificateService.CreateCertificate, other, Call(null));
        (await denied.Should().ThrowAsync<GrpcStatusException>()).Which.Status.Code.Should().Be(GrpcStatusCode.PermissionDenied);

        using var foreignCa = CertificateAuthority.Load(new CertificateAuthorityOptions { StateDirectory = Path.Combine(_files.Root, "foreign") });
        var forged = foreignCa.SignWorkload(CaTestFiles.Csr(key), new SpiffeId("cluster.local", "shop", "cart"));
        using var theirs = UsableCertificate.Create(X509Certificate2.CreateFromPem(forged.ChainPem[0]), key);
        using var foreignChannel = Channel(theirs);
        var refused = () => foreignChannel.UnaryAsync(CertificateService.CreateCertificate, new IstioCertificateRequest { Csr = CaTestFiles.Csr(next) }, Call(null));
        (await refused.Should().ThrowAsync<GrpcStatusException>()).Which.Status.Should().Match<GrpcStatus>(s =>
            s.Code == GrpcStatusCode.Unauthenticated && s.Message.Contains("does not chain to this CA's root") && s.Message.Contains("no bootstrap token"));
    }

    [Fact]
    public async Task Missing_forged_and_expired_tokens_are_unauthenticated()
    {
        using var channel = Channel();
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new IstioCertificateRequest { Csr = CaTestFiles.Csr(key) };
        var forged = BootstrapTokens.LoadOrCreate(Path.Combine(_files.Root, "elsewhere"), TimeProvider.System).Issue("default", "a", TimeSpan.FromHours(1)).Token!;
        var expired = BootstrapTokens.LoadOrCreate(_files.State, new FakeTime(TimeProvider.System.GetUtcNow().AddDays(-2))).Issue("default", "a", TimeSpan.FromHours(1)).Token!;

        foreach (var (token, message) in new[] { ((string?)null, "no bootstrap token"), (forged, "not issued by this control plane"), (expired, "expired") })
        {
            var act = () => channel.UnaryAsync(CertificateService.CreateCertificate, request, Call(token));
            (await act.Should().ThrowAsync<GrpcStatusException>()).Which.Status.Should().Match<GrpcStatus>(s => s.Code == GrpcStatusCode.Unauthenticated && s.Message.Contains(message));
        }
    }

    [Fact]
    public async Task Csr_for_an_identity_the_token_does_not_grant_is_permission_denied_and_garbage_is_invalid()
    {
        using var channel = Channel();
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var token = Token("default", "productpage");
        var other = new IstioCertificateRequest { Csr = CaTestFiles.Csr(key, "spiffe://cluster.local/ns/default/sa/ratings") };
        var denied = () => channel.UnaryAsync(CertificateService.CreateCertificate, other, Call(token));
        (await denied.Should().ThrowAsync<GrpcStatusException>()).Which.Status.Code.Should().Be(GrpcStatusCode.PermissionDenied);

        var garbage = () => channel.UnaryAsync(CertificateService.CreateCertificate, new IstioCertificateRequest { Csr = "not a csr" }, Call(token));
        (await garbage.Should().ThrowAsync<GrpcStatusException>()).Which.Status.Code.Should().Be(GrpcStatusCode.InvalidArgument);

        var ok = await channel.UnaryAsync(CertificateService.CreateCertificate, new IstioCertificateRequest { Csr = CaTestFiles.Csr(key) }, Call(token));
        ok.CertChain.Should().HaveCount(2);
    }

    [Fact]
    public async Task Garbage_bytes_on_the_tls_port_do_not_hurt_the_server()
    {
        var random = new Random(11);
        for (int i = 0; i < 5; i++)
        {
            using var socket = new TcpClient();
            await socket.ConnectAsync(IPAddress.Loopback, _host.XdsTlsPort);
            var junk = new byte[4096];
            random.NextBytes(junk);
            if (i == 0) "GET / HTTP/1.1\r\nHost: x\r\n\r\n"u8.CopyTo(junk);
            var stream = socket.GetStream();
            try
            {
                await stream.WriteAsync(junk);
                using var read = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                _ = await stream.ReadAsync(new byte[256], read.Token);
            }
            catch (Exception e) when (e is IOException or OperationCanceledException)
            {
                // the server cut us off: expected
            }
        }

        using var channel = Channel();
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var ok = await channel.UnaryAsync(CertificateService.CreateCertificate, new IstioCertificateRequest { Csr = CaTestFiles.Csr(key) }, Call(Token("default", "a")));
        ok.CertChain.Should().NotBeEmpty();
    }

    [Fact]
    public async Task Ca_is_not_served_on_the_plaintext_xds_port()
    {
        using var channel = new GrpcChannel(_host.XdsAddress);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var act = () => channel.UnaryAsync(CertificateService.CreateCertificate, new IstioCertificateRequest { Csr = CaTestFiles.Csr(key) }, Call(Token("default", "a")));
        (await act.Should().ThrowAsync<GrpcStatusException>()).Which.Status.Code.Should().Be(GrpcStatusCode.Unimplemented);
    }

    [Fact]
    public async Task Tls_port_presents_a_ca_issued_certificate_that_a_client_trusting_another_root_refuses()
    {
        _host.ServingCertificate!.Current.Issuer.Should().Be(_host.CertificateAuthority!.Root.Subject);
        var otherState = Path.Combine(_files.Root, "other");
        using var other = CertificateAuthority.Load(new CertificateAuthorityOptions { StateDirectory = otherState });
        using var channel = new GrpcChannel(_host.XdsTlsAddress!, new GrpcChannelOptions
        {
            ServerCertificateValidation = RootTrust.Validator(() => RootTrust.Load(Path.Combine(otherState, CertificateAuthority.RootCertFileName))),
        });
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var act = () => channel.UnaryAsync(CertificateService.CreateCertificate, new IstioCertificateRequest { Csr = CaTestFiles.Csr(key) }, Call(Token("default", "a")));
        (await act.Should().ThrowAsync<GrpcStatusException>()).Which.Status.Code.Should().Be(GrpcStatusCode.Unavailable);
    }

    private CertificateAgentOptions AgentOptions(Func<string> token, string ns, string sa) => new()
    {
        CaAddress = _host.XdsTlsAddress!,
        Token = token,
        RootCertFile = RootFile,
        Namespace = ns,
        ServiceAccount = sa,
    };

    private string Token(string ns, string sa) => _host.Tokens!.Issue(ns, sa, TimeSpan.FromHours(1)).Token!;

    private GrpcChannel Channel(X509Certificate2? client = null) => new(_host.XdsTlsAddress!, new GrpcChannelOptions
    {
        ServerCertificateValidation = RootTrust.Validator(() => RootTrust.Load(RootFile)),
        ClientCertificate = client is null ? null : SslStreamCertificateContext.Create(client, null, offline: true),
    });

    private static GrpcCallOptions Call(string? token) => new()
    {
        Metadata = token is null ? [] : [new("authorization", "Bearer " + token)],
        Timeout = TimeSpan.FromSeconds(10),
    };

    /// <summary>Polls (bounded); with a clock, nudges it forward each round so a timer registered late still fires.</summary>
    private static async Task WaitAsync(Func<bool> condition, FakeTime? time = null)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (!condition() && clock.Elapsed < TimeSpan.FromSeconds(20))
        {
            await Task.Delay(20);
            time?.Advance(TimeSpan.FromMilliseconds(100));
        }
        condition().Should().BeTrue();
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        _files.Dispose();
    }
}
