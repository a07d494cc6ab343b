using System.Diagnostics;
using System.Globalization;
using Envoy.Config.Core.V3;
using Envoy.Config.Endpoint.V3;
using Envoy.Config.Route.V3;
using Google.Protobuf.WellKnownTypes;
using Rigging.Xds.Cache;
using Rigging.Xds.Client;

namespace Rigging.ControlPlane.Bench;

/// <summary>
/// N ADS clients (Rigging.Xds's AdsClient, one connection each) announcing sidecars as the proxy does: proxy p is a
/// replica of workload p % workloads, the deployment behind service svc-(p % workloads). Each applies what it gets
/// like a proxy would read it and records when the route it watches carries the awaited weight, and when the
/// awaited endpoint shows up in the watched cluster.
/// </summary>
internal sealed class SimulatedProxies : IAsyncDisposable
{
    private readonly List<AdsClient> _clients = [];
    private readonly long[] _routeApplied;
    private readonly long[] _endpointApplied;
    private readonly bool[] _ready;
    private volatile RouteTarget? _route;
    private volatile string? _endpoint;

    public SimulatedProxies(BenchMesh mesh, int count, int workloads, int xdsPort, string watchedCluster)
    {
        _routeApplied = new long[count];
        _endpointApplied = new long[count];
        _ready = new bool[count];
        var address = new Uri($"http://127.0.0.1:{xdsPort}");
        for (var p = 0; p < count; p++)
        {
            var index = p;
            var workload = p % workloads;
            var client = new AdsClient(new AdsClientOptions
            {
                Address = address,
                Node = Node(mesh, p, workload),
                InitialBackoff = TimeSpan.FromMilliseconds(200),
                MaxBackoff = TimeSpan.FromSeconds(2),
                Random = new Random(p),
                Subscriptions = new Dictionary<string, IReadOnlyList<string>>
                {
                    [TypeUrls.Cluster] = [],
                    [TypeUrls.Listener] = [],
                    [TypeUrls.RouteConfiguration] = ["15001"],
                    [TypeUrls.ClusterLoadAssignment] = [watchedCluster],
                },
                Apply = update => Apply(index, update),
            });
            _clients.Add(client);
        }
    }

    public int Count => _routeApplied.Length;

    public int Ready => _ready.Count(r => Volatile.Read(ref r));

    public void Start()
    {
        foreach (var client in _clients) client.Start();
    }

    /// <summary>From now on, record when each proxy's route table sends the virtual host's first route this weight to v1.</summary>
    public void AwaitRoute(string virtualHost, string v1Cluster, uint weight)
    {
        Array.Clear(_routeApplied);
        _route = new RouteTarget(virtualHost, v1Cluster, weight);
    }

    public void AwaitEndpoint(string address)
    {
        Array.Clear(_endpointApplied);
        _endpoint = address;
    }

    public long[] RouteApplied => _routeApplied;

    /// <summary>The largest route update a proxy received (serialized resources), the bytes each edit resends.</summary>
    public long RouteTableBytes => Interlocked.Read(ref _routeBytes);

    private long _routeBytes;

    public long[] EndpointApplied => _endpointApplied;

    private ApplyResult Apply(int index, AdsUpdate update)
    {
        var now = Stopwatch.GetTimestamp();
        if (update.TypeUrl == TypeUrls.RouteConfiguration)
        {
            // A proxy compiles every route table it is given: parse them all, as it would.
            var tables = update.Unpack<RouteConfiguration>();
            long bytes = 0;
            foreach (var any in update.Resources) bytes += any.Value.Length;
            if (bytes > Interlocked.Read(ref _routeBytes)) Interlocked.Exchange(ref _routeBytes, bytes);
            Volatile.Write(ref _ready[index], true);
            if (_route is { } target && Volatile.Read(ref _routeApplied[index]) == 0 && Carries(tables, target))
                Volatile.Write(ref _routeApplied[index], now);
        }
        else if (update.TypeUrl == TypeUrls.ClusterLoadAssignment)
        {
            var assignments = update.Unpack<ClusterLoadAssignment>();
            if (_endpoint is { } address && Volatile.Read(ref _endpointApplied[index]) == 0 && Has(assignments, address))
                Volatile.Write(ref _endpointApplied[index], now);
        }
        else
        {
            foreach (var any in update.Resources) _ = any.Value.Length;
        }
        return ApplyResult.Accept();
    }

    private static bool Carries(IReadOnlyList<RouteConfiguration> tables, RouteTarget target)
    {
        foreach (var table in tables)
        {
            foreach (var vhost in table.VirtualHosts)
            {
                if (vhost.Name != target.VirtualHost || vhost.Routes.Count == 0) continue;
                var weighted = vhost.Routes[0].Route_?.WeightedClusters;
                if (weighted is null) return false;
                foreach (var cluster in weighted.Clusters)
                {
                    if (cluster.Name == target.V1Cluster) return cluster.Weight == target.Weight;
                }
            }
        }
        return false;
    }

    private static bool Has(IReadOnlyList<ClusterLoadAssignment> assignments, string address)
    {
        foreach (var assignment in assignments)
        {
            foreach (var locality in assignment.Endpoints)
            {
                foreach (var endpoint in locality.LbEndpoints)
                {
                    if (endpoint.Endpoint?.Address?.SocketAddress?.Address == address) return true;
                }
            }
        }
        return false;
    }

    private static Node Node(BenchMesh mesh, int proxy, int workload)
    {
        var labels = new Struct();
        labels.Fields["app"] = Value.ForString(BenchMesh.Name(workload));
        labels.Fields["version"] = Value.ForString("v1");
        var metadata = new Struct();
        metadata.Fields["NAME"] = Value.ForString(BenchMesh.Name(workload));
        metadata.Fields["NAMESPACE"] = Value.ForString(mesh.NamespaceOf(workload));
        metadata.Fields["LABELS"] = Value.ForStruct(labels);
        metadata.Fields["SERVICE_ACCOUNT"] = Value.ForString(BenchMesh.Name(workload));
        metadata.Fields["INSTANCE_IPS"] = Value.ForString(string.Create(CultureInfo.InvariantCulture, $"10.{proxy / 65536 % 256}.{proxy / 256 % 256}.{proxy % 256}"));
        metadata.Fields["RIGGING_INBOUND_PORT"] = Value.ForNumber(15006);
        metadata.Fields["RIGGING_APP_PORT"] = Value.ForNumber(BenchMesh.Port);
        metadata.Fields["RIGGING_OUTBOUND_PORT"] = Value.ForNumber(15001);
        return new Node { Id = string.Create(CultureInfo.InvariantCulture, $"{BenchMesh.Name(workload)}-{proxy}.{mesh.NamespaceOf(workload)}"), Metadata = metadata };
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var client in _clients) await client.DisposeAsync();
    }

    private sealed record RouteTarget(string VirtualHost, string V1Cluster, uint Weight);
}
