using Envoy.Config.Cluster.V3;
using Envoy.Config.Core.V3;
using Envoy.Config.Endpoint.V3;
using Envoy.Config.Listener.V3;
using Envoy.Config.Route.V3;
using Envoy.Extensions.Filters.Http.Router.V3;
using Envoy.Extensions.Filters.Network.HttpConnectionManager.V3;
using Envoy.Extensions.Filters.Network.TcpProxy.V3;
using Google.Protobuf.WellKnownTypes;

namespace Rigging.Proxy.Tests.Infrastructure;

/// <summary>Builds the xDS resources tests hand to the proxy, in Envoy's shapes and names.</summary>
internal static partial class EnvoyConfig
{
    public static Address Socket(string host, int port) => new() { SocketAddress = new SocketAddress { Address = host, PortValue = (uint)port } };

    /// <summary>An HTTP listener on 127.0.0.1:port whose routes come from RDS <paramref name="routeName"/>.</summary>
    public static Listener HttpListener(string name, int port, string routeName, params HttpFilter[] filters)
    {
        var hcm = new HttpConnectionManager { StatPrefix = name, Rds = new Rds { RouteConfigName = routeName, ConfigSource = new ConfigSource { Ads = new AggregatedConfigSource() } } };
        hcm.HttpFilters.AddRange(filters);
        hcm.HttpFilters.Add(new HttpFilter { Name = "envoy.filters.http.router", TypedConfig = Any.Pack(new Router()) });
        return new Listener
        {
            Name = name,
            Address = Socket("127.0.0.1", port),
            FilterChains = { new FilterChain { Filters = { new Filter { Name = "envoy.filters.network.http_connection_manager", TypedConfig = Any.Pack(hcm) } } } },
        };
    }

    public static Listener TcpListener(string name, int port, string cluster) => new()
    {
        Name = name,
        Address = Socket("127.0.0.1", port),
        FilterChains =
        {
            new FilterChain
            {
                Filters = { new Filter { Name = "envoy.filters.network.tcp_proxy", TypedConfig = Any.Pack(new TcpProxy { StatPrefix = name, Cluster = cluster }) } },
            },
        },
    };

    public static RouteConfiguration Routes(string name, params Route[] routes) => new()
    {
        Name = name,
        VirtualHosts = { new VirtualHost { Name = "all", Domains = { "*" }, Routes = { routes } } },
    };

    public static Route Prefix(string prefix, string cluster) => new()
    {
        Match = new RouteMatch { Prefix = prefix },
        Route_ = new RouteAction { Cluster = cluster },
    };

    public static Route Weighted(string prefix, params (string Cluster, uint Weight)[] clusters)
    {
        var weighted = new WeightedCluster();
        foreach (var (cluster, weight) in clusters) weighted.Clusters.Add(new WeightedCluster.Types.ClusterWeight { Name = cluster, Weight = weight });
        return new Route { Match = new RouteMatch { Prefix = prefix }, Route_ = new RouteAction { WeightedClusters = weighted } };
    }

    /// <summary>An EDS cluster (endpoints come from a ClusterLoadAssignment of the same name).</summary>
    public static Cluster EdsCluster(string name) => new()
    {
        Name = name,
        Type = Cluster.Types.DiscoveryType.Eds,
        EdsClusterConfig = new Cluster.Types.EdsClusterConfig { EdsConfig = new ConfigSource { Ads = new AggregatedConfigSource() } },
        ConnectTimeout = Duration.FromTimeSpan(TimeSpan.FromSeconds(1)),
    };

    public static ClusterLoadAssignment Endpoints(string cluster, params int[] ports)
    {
        var locality = new LocalityLbEndpoints();
        foreach (var port in ports)
        {
            locality.LbEndpoints.Add(new LbEndpoint { Endpoint = new Endpoint { Address = Socket("127.0.0.1", port) } });
        }
        return new ClusterLoadAssignment { ClusterName = cluster, Endpoints = { locality } };
    }
}
