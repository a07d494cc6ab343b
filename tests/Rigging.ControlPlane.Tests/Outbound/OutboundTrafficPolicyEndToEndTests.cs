using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using FluentAssertions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Rigging.ControlPlane.Tests.Host;
using Rigging.ControlPlane.Translation;
using Rigging.Proxy;

namespace Rigging.ControlPlane.Tests.Outbound;

/// <summary>
/// An app reaching a backend the mesh does not know, through its sidecar's outbound port (HTTP_PROXY), with the real
/// control plane and real proxies: ALLOW_ANY (the default) passes HTTP and CONNECT through to where the app asked;
/// REGISTRY_ONLY, from a Sidecar or from the mesh config, answers 502 to both.
/// </summary>
public sealed class OutboundTrafficPolicyEndToEndTests : IAsyncLifetime
{
    private const string Config = """
        apiVersion: v1
        kind: Service
        metadata: {name: known, namespace: default}
        spec:
          selector: {app: known}
          ports: [{name: http, port: 9080}]
        ---
        apiVersion: networking.istio.io/v1
        kind: Sidecar
        metadata: {name: default, namespace: locked}
        spec:
          outboundTrafficPolicy: {mode: REGISTRY_ONLY}
        """;

    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);
    private readonly List<string> _roots = [];
    private readonly List<ControlPlaneHost> _controlPlanes = [];
    private readonly List<ProxyHost> _proxies = [];
    private WebApplication _backend = null!;
    private TcpListener _tcpBackend = null!;
    private readonly CancellationTokenSource _stop = new();
    private int _backendPort;
    private int _tcpPort;

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        _backend = builder.Build();
        _backend.Run(context => context.Response.WriteAsync($"outside {context.Request.Path} host={context.Request.Host}"));
        await _backend.StartAsync();
        _backendPort = new Uri(_backend.Urls.First()).Port;

        _tcpBackend = new TcpListener(IPAddress.Loopback, 0);
        _tcpBackend.Start();
        _tcpPort = ((IPEndPoint)_tcpBackend.LocalEndpoint).Port;
        _ = GreetAsync();
    }

    /// <summary>A TCP service outside the mesh: greets each connection, then closes it.</summary>
    private async Task GreetAsync()
    {
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                using var client = await _tcpBackend.AcceptTcpClientAsync(_stop.Token);
                await client.GetStream().WriteAsync("hello from outside\n"u8.ToArray(), _stop.Token);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException or IOException)
        {
            // Stopped.
        }
    }

    [Fact]
    public async Task Allow_any_passes_http_and_connect_through_and_registry_only_answers_502()
    {
        var mesh = await StartControlPlaneAsync(MeshSettings.Default);
        var open = await StartProxyAsync(mesh, "default");
        var locked = await StartProxyAsync(mesh, "locked");

        // ALLOW_ANY (mesh default): where the app asked.
        using (var app = App(open))
        {
            (await app.GetStringAsync($"http://127.0.0.1:{_backendPort}/path?x=1")).Should().Be($"outside /path host=127.0.0.1:{_backendPort}");
            (await app.GetStringAsync($"http://localhost:{_backendPort}/named")).Should().Be($"outside /named host=localhost:{_backendPort}");
        }
        (await ConnectAsync(open, $"127.0.0.1:{_tcpPort}")).Should().Be("HTTP/1.1 200 Connection established|hello from outside");

        // REGISTRY_ONLY from the namespace's Sidecar.
        using (var app = App(locked))
        {
            using var blocked = await app.GetAsync($"http://127.0.0.1:{_backendPort}/path");
            blocked.StatusCode.Should().Be(HttpStatusCode.BadGateway);
            (await blocked.Content.ReadAsStringAsync()).Should().BeEmpty();
        }
        (await ConnectAsync(locked, $"127.0.0.1:{_tcpPort}")).Should().StartWith("HTTP/1.1 502");
        locked.Stats.Get("outbound_" + OutboundPort(locked), "response_flags_UH").Should().Be(0, "block_all answers itself; nothing reaches BlackHoleCluster");
    }

    [Fact]
    public async Task Registry_only_in_the_mesh_config_refuses_unknown_destinations_for_every_sidecar()
    {
        var errors = new List<string>();
        var settings = MeshConfigReader.Read("outboundTrafficPolicy:\n  mode: REGISTRY_ONLY\n", MeshSettings.Default, errors);
        errors.Should().BeEmpty();
        var mesh = await StartControlPlaneAsync(settings);
        var proxy = await StartProxyAsync(mesh, "default");

        using var app = App(proxy);
        (await app.GetAsync($"http://127.0.0.1:{_backendPort}/")).StatusCode.Should().Be(HttpStatusCode.BadGateway);
        (await ConnectAsync(proxy, $"127.0.0.1:{_tcpPort}")).Should().StartWith("HTTP/1.1 502");
    }

    private async Task<ControlPlaneHost> StartControlPlaneAsync(MeshSettings settings)
    {
        var root = TempDirectory.Create();
        _roots.Add(root);
        await File.WriteAllTextAsync(Path.Combine(root, "mesh.yaml"), Config);
        var host = await ControlPlaneHost.StartAsync(new ControlPlaneOptions { ConfigDirectory = root, XdsPort = 0, HttpPort = 0, Mesh = settings });
        _controlPlanes.Add(host);
        return host;
    }

    private async Task<ProxyHost> StartProxyAsync(ControlPlaneHost mesh, string ns)
    {
        var proxy = await ProxyHost.StartAsync(new ProxyOptions
        {
            Xds = mesh.XdsAddress,
            NodeId = $"sidecar~127.0.0.1~app-1.{ns}~{ns}.svc.cluster.local",
            Workload = "app",
            Namespace = ns,
            Labels = new Dictionary<string, string> { ["app"] = "app" },
            OutboundPort = Rigging.Cli.Demo.Mesh.FreePorts.Take(1)[0],
            AdminPort = 0,
        }, loggers: NullLoggerFactory.Instance);
        _proxies.Add(proxy);
        var clock = Stopwatch.StartNew();
        while (!HasCatchAll(proxy) && clock.Elapsed < Deadline) await Task.Delay(50);
        HasCatchAll(proxy).Should().BeTrue($"the {ns} proxy should receive its outbound routes");
        return proxy;
    }

    private static bool HasCatchAll(ProxyHost proxy) =>
        proxy.State.Current.Routes.Values.Any(t => t.FindVirtualHost("not-in-the-mesh.example:1")?.Name is "allow_any" or "block_all");

    private static int OutboundPort(ProxyHost proxy) => proxy.Options.OutboundPort!.Value;

    private static HttpClient App(ProxyHost proxy) =>
        new(new SocketsHttpHandler { Proxy = new WebProxy($"http://127.0.0.1:{OutboundPort(proxy)}"), UseProxy = true }) { Timeout = TimeSpan.FromSeconds(10) };

    /// <summary>CONNECT through the outbound port; the status line, then (when tunnelled) the first line from the far side.</summary>
    private static async Task<string> ConnectAsync(ProxyHost proxy, string target)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, OutboundPort(proxy));
        var stream = client.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes($"CONNECT {target} HTTP/1.1\r\nHost: {target}\r\n\r\n"));
        var reader = new StreamReader(stream, Encoding.ASCII);
        var status = await reader.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(10)) ?? "(closed)";
        if (!status.Contains(" 200 ", StringComparison.Ordinal)) return status;
        while (await reader.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(10)) is { Length: > 0 })
        {
            // Rest of the 200's head.
        }
        return status + "|" + await reader.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(10));
    }

    public async Task DisposeAsync()
    {
        foreach (var proxy in _proxies) await proxy.DisposeAsync();
        foreach (var host in _controlPlanes) await host.DisposeAsync();
        await _stop.CancelAsync();
        _tcpBackend.Stop();
        await _backend.DisposeAsync();
        _stop.Dispose();
        foreach (var root in _roots) TempDirectory.Delete(root);
    }
}
