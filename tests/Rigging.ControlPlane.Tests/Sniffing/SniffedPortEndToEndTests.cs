using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using FluentAssertions;
using Rigging.ControlPlane.Tests.Host;
using Rigging.Proxy;

namespace Rigging.ControlPlane.Tests.Sniffing;

/// <summary>
/// A Service whose port has no name, as many Kubernetes Services have: Istio sniffs such a port, and so does Rigging.
/// The real control plane (CA on its TLS port), an application that answers HTTP and echoes anything else, its
/// sidecar, and a client sidecar. HTTP to the port, plaintext or over the mesh's mTLS, takes the HTTP chain (HTTP
/// stats, HTTP authorization rules); other bytes take the TCP chain and are proxied as they are.
/// </summary>
public sealed class SniffedPortEndToEndTests : IAsyncLifetime
{
    private const string Authority = "echo.default.svc.cluster.local:9000";
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    private readonly string _root = TempDirectory.Create();
    private ControlPlaneHost _host = null!;
    private DualProtocolServer _app = null!;
    private ProxyHost _server = null!;
    private ProxyHost _client = null!;
    private int _serverInbound;

    private string Config(string mode, string policy = "") => $$"""
        apiVersion: v1
        kind: Service
        metadata: {name: echo, namespace: default}
        spec:
          selector: {app: echo}
          ports: [{port: 9000, targetPort: {{_app.Port}}}]
        ---
        apiVersion: security.istio.io/v1
        kind: PeerAuthentication
        metadata: {name: default, namespace: istio-system}
        spec:
          mtls: {mode: {{mode}}}
        {{policy}}
        """;

    private const string PathPolicy = """
        ---
        apiVersion: security.istio.io/v1
        kind: AuthorizationPolicy
        metadata: {name: echo-paths, namespace: default}
        spec:
          selector:
            matchLabels: {app: echo}
          rules:
          - from:
            - source: {principals: ["cluster.local/ns/default/sa/client-sa"]}
            to:
            - operation: {paths: ["/open/*"]}
        """;

    private string HttpScope => $"inbound_{_serverInbound}";

    public async Task InitializeAsync()
    {
        _app = new DualProtocolServer();
        _host = await SecureSidecar.StartControlPlaneAsync(_root, Config("PERMISSIVE"));
        _serverInbound = SecureSidecar.FreePort();
        _server = await SecureSidecar.StartAsync(_host, "echo", "echo-sa", _serverInbound, _app.Port, SecureSidecar.FreePort());
        _client = await SecureSidecar.StartAsync(_host, "client", "client-sa", null, null, SecureSidecar.FreePort());
    }

    [Fact]
    public async Task Permissive_unnamed_port_serves_http_as_http_and_other_bytes_as_tcp_in_plaintext_and_in_mtls()
    {
        // Plaintext straight to the inbound port: an HTTP request goes through the connection manager...
        using (var plain = new HttpClient { Timeout = TimeSpan.FromSeconds(10) })
        {
            var answer = await plain.GetStringAsync($"http://127.0.0.1:{_serverInbound}/plain");
            answer.Should().Be("http /plain");
        }
        _server.Stats.Get(HttpScope, "downstream_rq_2xx").Should().Be(1, "plaintext HTTP takes the HTTP chain");

        // ...and bytes that are not HTTP are tunnelled to the application as they are.
        using (var raw = new TcpClient())
        {
            await raw.ConnectAsync(IPAddress.Loopback, _serverInbound);
            (await MeshTunnel.SendAndReadAsync(raw.GetStream(), "ping\n")).Should().Be("ping\n");
        }
        _app.EchoConnections.Should().Be(1);

        // Through the client's sidecar, over mTLS: HTTP is routed as HTTP (the server's HTTP stats count it)...
        var clock = Stopwatch.StartNew();
        string? meshAnswer = null;
        using var mesh = MeshClient();
        while (meshAnswer is null && clock.Elapsed < Deadline)
        {
            using var response = await mesh.GetAsync($"http://{Authority}/mesh");
            if (response.StatusCode == HttpStatusCode.OK) meshAnswer = await response.Content.ReadAsStringAsync();
            else await Task.Delay(100);
        }
        meshAnswer.Should().Be("http /mesh");
        _server.Stats.Get(HttpScope, "downstream_rq_2xx").Should().Be(2, "HTTP inside mTLS takes the HTTP chain too");
        _server.Stats.Get("listener.virtualInbound", "ssl.handshake").Should().BeGreaterThan(0, "the mesh call arrived over mTLS");

        // ...and a CONNECT tunnel carries raw bytes through the TCP chain, also over mTLS.
        var (head, echoed) = await MeshTunnel.EchoAsync(_client, Authority, "tunnel\n");
        head.Should().StartWith("HTTP/1.1 200");
        echoed.Should().Be("tunnel\n");
        _app.EchoConnections.Should().Be(2);
        _app.HttpRequests.Should().Be(2);
    }

    [Fact]
    public async Task Strict_unnamed_port_applies_http_authorization_rules_to_http_and_their_tcp_part_to_tunnels()
    {
        await File.WriteAllTextAsync(SecureSidecar.ConfigFile(_root), Config("STRICT", PathPolicy));
        using var mesh = MeshClient();

        var clock = Stopwatch.StartNew();
        HttpStatusCode status = 0;
        while (status != HttpStatusCode.OK && clock.Elapsed < Deadline)
        {
            using var response = await mesh.GetAsync($"http://{Authority}/open/door");
            status = response.StatusCode;
            if (status != HttpStatusCode.OK) await Task.Delay(100);
        }
        status.Should().Be(HttpStatusCode.OK, "the rule allows client-sa on /open/*: only an HTTP chain can check a path");

        // The policy is in force once /closed is refused (a config push may still be on its way for a moment).
        var last = "";
        while (clock.Elapsed < Deadline)
        {
            using var closed = await mesh.GetAsync($"http://{Authority}/closed");
            last = $"{(int)closed.StatusCode} {await closed.Content.ReadAsStringAsync()}";
            if (closed.StatusCode == HttpStatusCode.Forbidden) break;
            await Task.Delay(100);
        }
        last.Should().Be("403 RBAC: access denied", "a path outside the rule is refused by the HTTP chain's RBAC");

        // A TCP connection cannot be checked for a path, so the rule does not match it and nothing allows it.
        var echoes = _app.EchoConnections;
        var (head, echoed) = await MeshTunnel.EchoAsync(_client, Authority, "tunnel\n");
        echoed.Should().BeNull($"the TCP chain's RBAC keeps no rule with a path (CONNECT answer: {head})");
        _app.EchoConnections.Should().Be(echoes, "a refused tunnel never reaches the application");

        using var plain = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        var refused = async () => await plain.GetStringAsync($"http://127.0.0.1:{_serverInbound}/open/door");
        await refused.Should().ThrowAsync<HttpRequestException>("STRICT: plaintext matches no chain");
    }

    private HttpClient MeshClient() =>
        new(new SocketsHttpHandler { Proxy = new WebProxy($"http://127.0.0.1:{_client.Options.OutboundPort}"), UseProxy = true })
        {
            Timeout = TimeSpan.FromSeconds(10),
        };

    public async Task DisposeAsync()
    {
        foreach (var proxy in new[] { _client, _server })
        {
            if (proxy is not null) await proxy.DisposeAsync();
        }
        if (_host is not null) await _host.DisposeAsync();
        if (_app is not null) await _app.DisposeAsync();
        TempDirectory.Delete(_root);
    }
}
