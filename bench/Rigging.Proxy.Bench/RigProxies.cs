using System.Diagnostics;
using System.Net;
using Envoy.Config.Cluster.V3;
using Envoy.Config.Core.V3;
using Envoy.Config.Endpoint.V3;
using Envoy.Config.Listener.V3;
using Envoy.Config.Route.V3;
using Envoy.Extensions.Filters.Http.Router.V3;
using Envoy.Extensions.Filters.Network.HttpConnectionManager.V3;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Rigging.Xds.Cache;
using Rigging.Xds.Grpc.Server;
using Rigging.Xds.Server;

namespace Rigging.Proxy.Bench;

/// <summary>
/// `rig proxy` processes (one per hop) programmed by an in-process xDS server: listener → static cluster → next
/// hop, in plaintext (<see cref="Resources"/>) or with the mesh's mTLS and authorization (<see cref="SecureHops"/>).
/// </summary>
internal sealed class RigProxies : IAsyncDisposable
{
    private readonly SnapshotCache _cache = new();
    private readonly List<Process> _processes = [];
    private GrpcServer? _server;

    /// <summary>
    /// What ./rig exports for `rig proxy` (environment-only runtime settings; keep the two in step). Set
    /// RIG_BENCH_BARE=1 to measure rig without them.
    /// </summary>
    internal static readonly Dictionary<string, string> LauncherEnvironment =
        Environment.GetEnvironmentVariable("RIG_BENCH_BARE") == "1" ? [] : new() { ["DOTNET_GCgen0size"] = "0x400000" };

    public IReadOnlyList<int> Pids => [.. _processes.Select(p => p.Id)];

    public async Task StartAsync()
    {
        _server = await new AdsServer(_cache).StartAsync();
    }

    /// <summary>Starts a proxy programmed with <paramref name="resources"/>; waits until ready and returns its admin port.</summary>
    public async Task<int> AddHopAsync(string rigDll, string name, IReadOnlyList<IMessage> resources)
    {
        var node = $"sidecar~127.0.0.1~{name}.bench~bench.svc.cluster.local";
        _cache.SetSnapshot(node, Snapshot.Create(resources));
        var admin = Ports.Free();
        var start = new ProcessStartInfo("dotnet", [rigDll, "proxy", "--xds", $"127.0.0.1:{_server!.Port}", "--node-id", node, "--workload", name,
            "--namespace", "bench", "--admin-port", admin.ToString(System.Globalization.CultureInfo.InvariantCulture), "--drain-duration", "0", "--log-level", "Warning"])
        {
            UseShellExecute = false,
        };
        // The runtime settings are rig's own (runtimeconfig), plus what ./rig sets for `rig proxy`.
        foreach (var (variable, value) in LauncherEnvironment) start.Environment.TryAdd(variable, value);
        // RIG_BENCH_ENV="K=V,K=V" adds runtime settings to the proxies only, for A/B runs.
        foreach (var pair in (Environment.GetEnvironmentVariable("RIG_BENCH_ENV") ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries))
            start.Environment[pair[..pair.IndexOf('=')]] = pair[(pair.IndexOf('=') + 1)..];
        _processes.Add(Process.Start(start)!);
        using var client = new HttpClient();
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(30))
        {
            try
            {
                if ((await client.GetAsync($"http://127.0.0.1:{admin}/ready")).StatusCode == HttpStatusCode.OK) return admin;
            }
            catch (HttpRequestException)
            {
                // Starting.
            }
            await Task.Delay(100);
        }
        throw new TimeoutException($"rig proxy {name} did not become ready");
    }

    /// <summary>The plaintext hop: a listener on <paramref name="port"/> whose one route goes to a static cluster at <paramref name="upstreamPort"/>.</summary>
    internal static IMessage[] Resources(string name, int port, int upstreamPort)
    {
        var hcm = new HttpConnectionManager
        {
            StatPrefix = name,
            RouteConfig = new RouteConfiguration
            {
                Name = name,
                VirtualHosts = { new VirtualHost { Name = "all", Domains = { "*" }, Routes = { new Route { Match = new RouteMatch { Prefix = "/" }, Route_ = new RouteAction { Cluster = "next" } } } } },
            },
            HttpFilters = { new HttpFilter { Name = "envoy.filters.http.router", TypedConfig = Any.Pack(new Router()) } },
        };
        return
        [
            new Cluster
            {
                Name = "next",
                Type = Cluster.Types.DiscoveryType.Static,
                ConnectTimeout = Duration.FromTimeSpan(TimeSpan.FromSeconds(1)),
                LoadAssignment = new ClusterLoadAssignment
                {
                    ClusterName = "next",
                    Endpoints = { new LocalityLbEndpoints { LbEndpoints = { new LbEndpoint { Endpoint = new Endpoint { Address = Socket(upstreamPort) } } } } },
                },
            },
            new Listener
            {
                Name = name,
                Address = Socket(port),
                FilterChains = { new FilterChain { Filters = { new Filter { Name = "envoy.filters.network.http_connection_manager", TypedConfig = Any.Pack(hcm) } } } },
            },
        ];
    }

    private static Address Socket(int port) => new() { SocketAddress = new Envoy.Config.Core.V3.SocketAddress { Address = "127.0.0.1", PortValue = (uint)port } };

    public async ValueTask DisposeAsync()
    {
        foreach (var process in _processes)
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
            }
            process.Dispose();
        }
        if (_server is not null) await _server.DisposeAsync();
    }
}

internal static class Ports
{
    public static int Free()
    {
        using var socket = new System.Net.Sockets.Socket(System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }
}
