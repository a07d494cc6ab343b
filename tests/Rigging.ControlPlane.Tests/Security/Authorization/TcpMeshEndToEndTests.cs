using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using FluentAssertions;
using Rigging.ControlPlane.Tests.Host;
using Rigging.Proxy;

namespace Rigging.ControlPlane.Tests.Security.Authorization;

/// <summary>
/// A TCP service end to end under a mesh-wide STRICT PeerAuthentication: the real control plane (CA on its TLS
/// port), an echo application behind a server sidecar whose inbound chain is network RBAC + tcp_proxy, and two
/// client sidecars (allowed and denied service accounts) whose outbound HTTP proxy tunnels a CONNECT over mutual
/// TLS. The allowed identity gets its echo; the denied one is closed without a byte and never reaches the
/// application; plaintext to the inbound port matches no chain.
/// </summary>
public sealed class TcpMeshEndToEndTests : IAsyncLifetime
{
    private const string Host = "echo.default.svc.cluster.local:9000";
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    private readonly string _root = TempDirectory.Create();
    private ControlPlaneHost _host = null!;
    private TcpEchoServer _echo = null!;
    private ProxyHost _server = null!;
    private ProxyHost _allowed = null!;
    private ProxyHost _denied = null!;
    private int _serverInbound;

    private string Config(string mode = "STRICT", string extraRule = "") => $$"""
        apiVersion: v1
        kind: Service
        metadata: {name: echo, namespace: default}
        spec:
          selector: {app: echo}
          ports: [{name: tcp-echo, port: 9000, targetPort: {{_echo.Port}}}]
        ---
        apiVersion: security.istio.io/v1
        kind: PeerAuthentication
        metadata: {name: default, namespace: istio-system}
        spec:
          mtls: {mode: {{mode}}}
        ---
        apiVersion: security.istio.io/v1
        kind: AuthorizationPolicy
        metadata: {name: echo-callers, namespace: default}
        spec:
          selector:
            matchLabels: {app: echo}
          rules:
          - from:
            - source: {principals: ["cluster.local/ns/default/sa/allowed-sa"]}
        {{extraRule}}
        """;

    private string RbacScope => $"inbound|{_echo.Port}||";

    public async Task InitializeAsync()
    {
        _echo = new TcpEchoServer(AppCertificate);
        _host = await SecureSidecar.StartControlPlaneAsync(_root, Config());
        _serverInbound = SecureSidecar.FreePort();
        _server = await SecureSidecar.StartAsync(_host, "echo", "echo-sa", _serverInbound, _echo.Port, SecureSidecar.FreePort());
        _allowed = await SecureSidecar.StartAsync(_host, "allowed", "allowed-sa", null, null, SecureSidecar.FreePort());
        _denied = await SecureSidecar.StartAsync(_host, "denied", "denied-sa", null, null, SecureSidecar.FreePort());
    }

    [Fact]
    public async Task Allowed_identity_gets_its_echo_denied_one_is_closed_without_bytes_and_plaintext_is_refused()
    {
        var clock = Stopwatch.StartNew();
        var last = "";
        string? echoed = null;
        for (var attempt = 0; attempt < 200 && clock.Elapsed < Deadline && echoed is null; attempt++)
        {
            (last, echoed) = await MeshTunnel.EchoAsync(_allowed, Host, "ping\n");
            if (echoed is null) await Task.Delay(100);
        }
        echoed.Should().Be("ping\n", $"the allowed identity should reach the echo app over mTLS (last: {last})");
        _server.Stats.Get(RbacScope, "tcp.rbac.allowed").Should().BeGreaterThan(0);

        var reachedApp = _echo.Connections;
        while (_server.Stats.Get(RbacScope, "tcp.rbac.denied") == 0 && clock.Elapsed < Deadline)
        {
            var (answer, bytes) = await MeshTunnel.EchoAsync(_denied, Host, "ping\n");
            bytes.Should().BeNull($"a refused identity must never get a byte back (CONNECT answer: {answer})");
            last = answer;
            if (_server.Stats.Get(RbacScope, "tcp.rbac.denied") == 0) await Task.Delay(100);
        }
        _server.Stats.Get(RbacScope, "tcp.rbac.denied").Should().BeGreaterThan(0, $"the server's network RBAC should refuse denied-sa (last: {last})");
        _echo.Connections.Should().Be(reachedApp, "a refused connection never reaches the application");

        using var plain = new TcpClient();
        await plain.ConnectAsync(IPAddress.Loopback, _serverInbound);
        (await MeshTunnel.SendAndReadAsync(plain.GetStream(), "ping\n")).Should().BeNull("plaintext matches no filter chain under STRICT");
        _server.Stats.Get("virtualInbound", "no_filter_chain_match").Should().BeGreaterThan(0);
    }

    [Fact]
    public async Task Permissive_tcp_port_takes_plaintext_and_mtls_apart_by_sniffing()
    {
        // Plaintext callers have no principal: this rule lets them in; mesh callers are still judged by identity.
        const string plaintextRule = "  - from:\n    - source: {notPrincipals: [\"*\"]}";
        await File.WriteAllTextAsync(SecureSidecar.ConfigFile(_root), Config("PERMISSIVE", plaintextRule));

        var clock = Stopwatch.StartNew();
        string? plain = null;
        while (plain is null && clock.Elapsed < Deadline)
        {
            using var tcp = new TcpClient();
            await tcp.ConnectAsync(IPAddress.Loopback, _serverInbound);
            plain = await MeshTunnel.SendAndReadAsync(tcp.GetStream(), "plain\n");
            if (plain is null) await Task.Delay(100);
        }
        plain.Should().Be("plain\n", "PERMISSIVE: a plaintext connection takes the raw_buffer chain");

        string? echoed = null;
        while (echoed is null && clock.Elapsed < Deadline)
        {
            (_, echoed) = await MeshTunnel.EchoAsync(_allowed, Host, "tls\n");
            if (echoed is null) await Task.Delay(100);
        }
        echoed.Should().Be("tls\n", "a mesh caller's TLS takes the mTLS chain, where its identity is allowed");
        var denied = _server.Stats.Get(RbacScope, "tcp.rbac.denied");
        (await MeshTunnel.EchoAsync(_denied, Host, "tls\n")).Echoed.Should().BeNull("denied-sa has a principal, so the plaintext rule does not let it in");
        _server.Stats.Get(RbacScope, "tcp.rbac.denied").Should().Be(denied + 1);
    }

    [Fact]
    public async Task Permissive_tcp_port_passes_tls_that_is_not_the_mesh_s_through_to_the_application()
    {
        const string plaintextRule = "  - from:\n    - source: {notPrincipals: [\"*\"]}";
        await File.WriteAllTextAsync(SecureSidecar.ConfigFile(_root), Config("PERMISSIVE", plaintextRule));

        // A client without a sidecar speaks TLS to the application itself: the proxy must not terminate it with the
        // mesh certificate (that handshake would fail: the client has no mesh identity) but pass it through.
        var clock = Stopwatch.StartNew();
        string? subject = null, echoed = null;
        while (echoed is null && clock.Elapsed < Deadline)
        {
            using var tcp = new TcpClient();
            await tcp.ConnectAsync(IPAddress.Loopback, _serverInbound);
            await using var tls = new System.Net.Security.SslStream(tcp.GetStream(), false, (_, _, _, _) => true);
            try
            {
                await tls.AuthenticateAsClientAsync(new System.Net.Security.SslClientAuthenticationOptions
                {
                    TargetHost = "echo.example",
                    ApplicationProtocols = [System.Net.Security.SslApplicationProtocol.Http11],
                });
                subject = tls.RemoteCertificate?.Subject;
                await tls.WriteAsync(Encoding.ASCII.GetBytes("own tls\n"));
                var buffer = new byte[8];
                var got = 0;
                while (got < buffer.Length)
                {
                    var read = await tls.ReadAsync(buffer.AsMemory(got));
                    if (read == 0) break;
                    got += read;
                }
                echoed = Encoding.ASCII.GetString(buffer, 0, got);
            }
            catch (Exception e) when (e is IOException or System.Security.Authentication.AuthenticationException)
            {
                await Task.Delay(100); // the PERMISSIVE config may still be on its way
            }
        }
        subject.Should().Be("CN=echo.example", "the handshake is the application's own, not the proxy's");
        echoed.Should().Be("own tls\n");

        // A mesh caller's TLS (ALPN "istio") is still the proxy's mTLS, judged by identity.
        (await MeshTunnel.EchoAsync(_allowed, Host, "mesh\n")).Echoed.Should().Be("mesh\n");
    }

    /// <summary>The echo application's own certificate, for callers that speak TLS to it directly.</summary>
    private static X509Certificate2 AppCertificate
    {
        get
        {
            using var key = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256);
            var request = new CertificateRequest("CN=echo.example", key, System.Security.Cryptography.HashAlgorithmName.SHA256);
            using var certificate = request.CreateSelfSigned(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2036, 1, 1, 0, 0, 0, TimeSpan.Zero));
            // A PKCS#12 round trip gives the key in a form SslStream can use as a server on every platform.
            return X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pkcs12), null);
        }
    }

    public async Task DisposeAsync()
    {
        foreach (var proxy in new[] { _denied, _allowed, _server })
        {
            if (proxy is not null) await proxy.DisposeAsync();
        }
        if (_host is not null) await _host.DisposeAsync();
        if (_echo is not null) await _echo.DisposeAsync();
        TempDirectory.Delete(_root);
    }
}
