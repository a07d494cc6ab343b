using System.Net.Http;
using FluentAssertions;
using Rigging.ControlPlane.Security;
using Rigging.Proxy;
using Rigging.Proxy.Security;
using Rigging.Xds.Cache;

namespace Rigging.ControlPlane.Tests.Security.Ca;

/// <summary>A real ProxyHost against the control plane's TLS port: ADS and the CA over TLS, /ready gated on the certificate.</summary>
public sealed class ProxyCertificateTests : IAsyncLifetime
{
    private readonly CaTestFiles _files = new();
    private ControlPlaneHost _host = null!;

    public async Task InitializeAsync()
    {
        _host = await ControlPlaneHost.StartAsync(new ControlPlaneOptions
        {
            ConfigDirectory = _files.Config,
            StateDirectory = _files.State,
            XdsPort = 0,
            HttpPort = 0,
            XdsTlsPort = 0,
        });
    }

    [Fact]
    public async Task Proxy_with_a_token_gets_its_certificate_and_config_over_tls_before_it_is_ready()
    {
        var tokenFile = Path.Combine(_files.Root, "token");
        await File.WriteAllTextAsync(tokenFile, _host.Tokens!.Issue("bookinfo", "ratings", TimeSpan.FromHours(1)).Token + "\n");
        await using var proxy = await ProxyHost.StartAsync(new ProxyOptions
        {
            Xds = _host.XdsTlsAddress!,
            NodeId = "sidecar~127.0.0.1~ratings-1.bookinfo~bookinfo.svc.cluster.local",
            Workload = "ratings-1",
            Namespace = "bookinfo",
            ServiceAccount = "ratings",
            AdminPort = 0,
            TokenFile = tokenFile,
            RootCertFile = _host.CertificateAuthority!.RootCertificatePath,
        });

        using var http = new HttpClient();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        string ready = string.Empty;
        while (clock.Elapsed < TimeSpan.FromSeconds(20))
        {
            using var response = await http.GetAsync($"http://127.0.0.1:{proxy.Admin!.Port}/ready");
            ready = await response.Content.ReadAsStringAsync();
            if (ready == "LIVE\n") break;
            await Task.Delay(50);
        }

        ready.Should().Be("LIVE\n");
        proxy.Secrets.Get(SecretStore.WorkloadIdentity)!.Certificate!.GetNameInfo(System.Security.Cryptography.X509Certificates.X509NameType.UrlName, false)
            .Should().Be("spiffe://cluster.local/ns/bookinfo/sa/ratings");
        // LIVE needs the first listener update too: ADS ran over the TLS port, verified against the root file.
        proxy.State.Ready.Should().BeTrue();
        proxy.Ads.AcceptedVersions.Should().ContainKey(TypeUrls.Cluster);
        proxy.Ads.LastError.Should().BeNull();
    }

    [Fact]
    public async Task Proxy_whose_token_is_refused_stays_not_ready_and_says_why()
    {
        var tokenFile = Path.Combine(_files.Root, "token");
        await File.WriteAllTextAsync(tokenFile, "rig1.e30.AAAA");
        await using var proxy = await ProxyHost.StartAsync(new ProxyOptions
        {
            Xds = _host.XdsAddress,
            CaAddress = _host.XdsTlsAddress,
            NodeId = "sidecar~127.0.0.1~x.default~default.svc.cluster.local",
            Workload = "x",
            AdminPort = 0,
            TokenFile = tokenFile,
            RootCertFile = _host.CertificateAuthority!.RootCertificatePath,
        });

        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (proxy.Agent!.Failures == 0 && clock.Elapsed < TimeSpan.FromSeconds(20)) await Task.Delay(20);
        proxy.Agent.LastError.Should().Contain("not issued by this control plane");
        using var http = new HttpClient();
        (await http.GetAsync($"http://127.0.0.1:{proxy.Admin!.Port}/ready")).StatusCode.Should().Be(System.Net.HttpStatusCode.ServiceUnavailable);
        proxy.Secrets.Get(SecretStore.WorkloadIdentity).Should().BeNull();
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        _files.Dispose();
    }
}
