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
using System.Net.Sockets;
using Rigging.Xds.Cache;
using Rigging.Xds.Grpc.Server;
using Rigging.Xds.Server;

namespace Rigging.Cli.Tests;

/// <summary>
/// An in-process xDS server for `rig proxy` / `rig run` child processes, and a tiny HTTP backend; the snapshot
/// routes everything on one listener to the backend.
/// </summary>
internal sealed class ProxyXds : IAsyncDisposable
{
    private readonly GrpcServer _server;
    private readonly TcpListener _backend;
    private readonly Task _serving;

    private ProxyXds(SnapshotCache cache, GrpcServer server, TcpListener backend, int backendPort)
    {
        Cache = cache;
        _server = server;
        _backend = backend;
        BackendPort = backendPort;
        _serving = ServeAsync();
    }

    public SnapshotCache Cache { get; }

    public string Address => $"127.0.0.1:{_server.Port}";

    public int BackendPort { get; }

    /// <summary>Requests to /slow wait for this before they are answered.</summary>
    public TaskCompletionSource SlowRelease { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Set when a request to /slow has reached the backend (it is then in flight through the proxy).</summary>
    public TaskCompletionSource SlowArrived { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public static async Task<ProxyXds> StartAsync()
    {
        var cache = new SnapshotCache();
        var server = await new AdsServer(cache).StartAsync();
        var backend = new TcpListener(IPAddress.Loopback, 0);
        backend.Start();
        return new ProxyXds(cache, server, backend, ((IPEndPoint)backend.LocalEndpoint).Port);
    }

    /// <summary>A listener on <paramref name="listenerPort"/> routing every host and path to the backend.</summary>
    public void Program(string nodeId, int listenerPort)
    {
        var hcm = new HttpConnectionManager
        {
            StatPrefix = "outbound",
            RouteConfig = new RouteConfiguration
            {
                Name = "all",
                VirtualHosts = { new VirtualHost { Name = "all", Domains = { "*" }, Routes = { new Route { Match = new RouteMatch { Prefix = "/" }, Route_ = new RouteAction { Cluster = "backend" } } } } },
            },
            HttpFilters = { new HttpFilter { Name = "envoy.filters.http.router", TypedConfig = Any.Pack(new Router()) } },
        };
        IMessage[] resources =
        [
            new Cluster
            {
                Name = "backend",
                Type = Cluster.Types.DiscoveryType.Static,
                ConnectTimeout = Duration.FromTimeSpan(TimeSpan.FromSeconds(1)),
                LoadAssignment = new ClusterLoadAssignment
                {
                    ClusterName = "backend",
                    Endpoints = { new LocalityLbEndpoints { LbEndpoints = { new LbEndpoint { Endpoint = new Endpoint { Address = Socket(BackendPort) } } } } },
                },
            },
            new Listener
            {
                Name = "outbound",
                Address = Socket(listenerPort),
                FilterChains = { new FilterChain { Filters = { new Filter { Name = "envoy.filters.network.http_connection_manager", TypedConfig = Any.Pack(hcm) } } } },
            },
        ];
        Cache.SetSnapshot(nodeId, Snapshot.Create(resources));
    }

    private static Envoy.Config.Core.V3.Address Socket(int port) => new() { SocketAddress = new Envoy.Config.Core.V3.SocketAddress { Address = "127.0.0.1", PortValue = (uint)port } };

    // A minimal HTTP/1.1 server (any Host header): answers "backend PATH", keeps the connection alive.
    private async Task ServeAsync()
    {
        while (true)
        {
            TcpClient client;
            try
            {
                client = await _backend.AcceptTcpClientAsync();
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }
            _ = AnswerAsync(client);
        }
    }

    private async Task AnswerAsync(TcpClient client)
    {
        using (client)
        {
            try
            {
                var stream = client.GetStream();
                using var reader = new StreamReader(stream, System.Text.Encoding.ASCII, leaveOpen: true);
                for (var requests = 0; requests < 1000; requests++)
                {
                    var requestLine = await reader.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30));
                    if (string.IsNullOrEmpty(requestLine)) return;
                    while (!string.IsNullOrEmpty(await reader.ReadLineAsync())) { }
                    var path = requestLine.Split(' ')[1];
                    if (path == "/slow")
                    {
                        SlowArrived.TrySetResult();
                        await SlowRelease.Task.WaitAsync(TimeSpan.FromSeconds(30));
                    }
                    var body = $"backend {path}";
                    var response = System.Text.Encoding.ASCII.GetBytes($"HTTP/1.1 200 OK\r\nContent-Length: {body.Length}\r\nContent-Type: text/plain\r\n\r\n{body}");
                    await stream.WriteAsync(response);
                }
            }
            catch (Exception e) when (e is IOException or SocketException or TimeoutException or ObjectDisposedException)
            {
                // The peer went away.
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        SlowRelease.TrySetResult();
        _backend.Stop();
        await _serving;
        await _server.DisposeAsync();
    }
}
