using System.Diagnostics;
using System.Net;
using FluentAssertions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Rigging.ControlPlane.Tests.Host;
using Rigging.Proxy;

namespace Rigging.ControlPlane.Tests.Security.Mtls;

/// <summary>
/// The whole path under a mesh-wide STRICT PeerAuthentication: the real control plane (CA on its TLS port), a
/// server sidecar in front of an app that echoes x-forwarded-client-cert, and a client sidecar whose outbound
/// port is the HTTP proxy a caller uses. Certificates come from the CA through each proxy's agent.
/// </summary>
public sealed class StrictMeshEndToEndTests : IAsyncLifetime
{
    private const string Config = """
        apiVersion: v1
        kind: Service
        metadata: {name: server, namespace: default}
        spec:
          selector: {app: server}
          ports: [{name: http, port: 9080}]
        ---
        apiVersion: security.istio.io/v1
        kind: PeerAuthentication
        metadata: {name: default, namespace: istio-system}
        spec:
          mtls: {mode: STRICT}
        """;

    private readonly string _root = TempDirectory.Create();
    private ControlPlaneHost _host = null!;
    private WebApplication _app = null!;
    private ProxyHost _server = null!;
    private ProxyHost _client = null!;
    private int _serverInbound;
    private int _clientOutbound;

    public async Task InitializeAsync()
    {
        _host = await SecureSidecar.StartControlPlaneAsync(_root, Config);

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        _app = builder.Build();
        _app.Run(context => context.Response.WriteAsync("xfcc=" + context.Request.Headers["x-forwarded-client-cert"]));
        await _app.StartAsync();
        var appPort = new Uri(_app.Urls.First()).Port;

        _serverInbound = SecureSidecar.FreePort();
        _clientOutbound = SecureSidecar.FreePort();
        _server = await SecureSidecar.StartAsync(_host, "server", "server-sa", _serverInbound, appPort, SecureSidecar.FreePort());
        _client = await SecureSidecar.StartAsync(_host, "client", "client-sa", null, null, _clientOutbound);
    }

    [Fact]
    public async Task Strict_mesh_refuses_plaintext_and_the_app_sees_the_callers_spiffe_id()
    {
        using var mesh = new HttpClient(new HttpClientHandler { Proxy = new WebProxy($"http://127.0.0.1:{_clientOutbound}"), UseProxy = true })
        {
            Timeout = TimeSpan.FromSeconds(5),
        };
        var clock = Stopwatch.StartNew();
        string? body = null;
        var last = "";
        for (var attempt = 0; attempt < 200 && clock.Elapsed < TimeSpan.FromSeconds(30); attempt++)
        {
            try
            {
                using var response = await mesh.GetAsync("http://server.default.svc.cluster.local:9080/");
                var text = await response.Content.ReadAsStringAsync();
                last = $"{(int)response.StatusCode} {text}";
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    body = text;
                    break;
                }
            }
            catch (HttpRequestException ex)
            {
                last = ex.Message;
            }
            await Task.Delay(100);
        }

        body.Should().NotBeNull($"the mesh call should succeed (last answer: {last})");
        body.Should().Contain("URI=spiffe://cluster.local/ns/default/sa/client-sa");

        using var plain = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var direct = async () =>
        {
            using var response = await plain.GetAsync($"http://127.0.0.1:{_serverInbound}/");
            return response.StatusCode;
        };
        await direct.Should().ThrowAsync<HttpRequestException>("a plaintext connection matches no filter chain under STRICT");
    }

    public async Task DisposeAsync()
    {
        if (_client is not null) await _client.DisposeAsync();
        if (_server is not null) await _server.DisposeAsync();
        if (_app is not null) await _app.DisposeAsync();
        if (_host is not null) await _host.DisposeAsync();
        TempDirectory.Delete(_root);
    }
}
