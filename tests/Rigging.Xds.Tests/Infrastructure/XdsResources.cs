using Envoy.Config.Cluster.V3;
using Envoy.Config.Core.V3;
using Envoy.Config.Endpoint.V3;
using Envoy.Config.Listener.V3;
using Envoy.Config.Route.V3;
using Envoy.Extensions.Filters.Common.Fault.V3;
using Envoy.Extensions.Filters.Http.Fault.V3;
using Envoy.Extensions.Filters.Http.Router.V3;
using Envoy.Extensions.Filters.Network.HttpConnectionManager.V3;
using Envoy.Type.V3;
using Google.Protobuf.WellKnownTypes;

namespace Rigging.Xds.Tests.Infrastructure;

/// <summary>Hand-built xDS resources for tests: an API listener, routes, EDS clusters and their endpoints.</summary>
internal static class XdsResources
{
    public static ConfigSource Ads => new() { Ads = new AggregatedConfigSource(), ResourceApiVersion = ApiVersion.V3 };

    public static HttpFilter RouterFilter => new() { Name = "envoy.filters.http.router", TypedConfig = Any.Pack(new Router()) };

    public static HttpFilter AbortFilter(uint percent, uint grpcStatus) => new()
    {
        Name = "envoy.filters.http.fault",
        TypedConfig = Any.Pack(new HTTPFault
        {
            Abort = new FaultAbort
            {
                GrpcStatus = grpcStatus,
                Percentage = new FractionalPercent { Numerator = percent, Denominator = FractionalPercent.Types.DenominatorType.Hundred },
            },
        }),
    };

    public static HttpFilter DelayFilter(uint percent, TimeSpan delay) => new()
    {
        Name = "envoy.filters.http.fault.delay",
        TypedConfig = Any.Pack(new HTTPFault
        {
            Delay = new FaultDelay
            {
                FixedDelay = Duration.FromTimeSpan(delay),
                Percentage = new FractionalPercent { Numerator = percent },
            },
        }),
    };

    /// <summary>A gRPC API listener whose connection manager takes its routes from RDS.</summary>
    public static Listener ApiListener(string name, string routeName, params HttpFilter[] filters)
    {
        var hcm = new HttpConnectionManager
        {
            StatPrefix = name,
            Rds = new Rds { RouteConfigName = routeName, ConfigSource = Ads },
        };
        hcm.HttpFilters.AddRange(filters.Length == 0 ? [RouterFilter] : filters);
        return new Listener { Name = name, ApiListener = new ApiListener { ApiListener_ = Any.Pack(hcm) } };
    }

    public static RouteConfiguration Routes(string name, params Route[] routes)
    {
        var vhost = new VirtualHost { Name = "all", Domains = { "*" } };
        vhost.Routes.AddRange(routes);
        return new RouteConfiguration { Name = name, VirtualHosts = { vhost } };
    }

    public static Route Weighted(string name, params (string Cluster, uint Weight)[] split)
    {
        var weighted = new WeightedCluster();
        foreach (var (cluster, weight) in split)
        {
            weighted.Clusters.Add(new WeightedCluster.Types.ClusterWeight { Name = cluster, Weight = weight });
        }

        return new Route { Name = name, Match = new RouteMatch { Prefix = "" }, Route_ = new RouteAction { WeightedClusters = weighted } };
    }

    public static Route ToCluster(string name, string cluster, HeaderMatcher? header = null)
    {
        var match = new RouteMatch { Prefix = "" };
        if (header is not null)
        {
            match.Headers.Add(header);
        }

        return new Route { Name = name, Match = match, Route_ = new RouteAction { Cluster = cluster } };
    }

    public static Cluster EdsCluster(string name) => new()
    {
        Name = name,
        Type = Cluster.Types.DiscoveryType.Eds,
        EdsClusterConfig = new Cluster.Types.EdsClusterConfig { EdsConfig = Ads, ServiceName = name },
        LbPolicy = Cluster.Types.LbPolicy.RoundRobin,
        ConnectTimeout = Duration.FromTimeSpan(TimeSpan.FromSeconds(1)),
    };

    public static ClusterLoadAssignment Endpoints(string cluster, params int[] ports)
    {
        var locality = new LocalityLbEndpoints
        {
            Locality = new Locality { Region = "local", Zone = "a" },
            LoadBalancingWeight = 1,
        };
        foreach (int port in ports)
        {
            locality.LbEndpoints.Add(new LbEndpoint
            {
                Endpoint = new Endpoint
                {
                    Address = new Address { SocketAddress = new SocketAddress { Address = "127.0.0.1", PortValue = (uint)port } },
                },
                HealthStatus = HealthStatus.Healthy,
                LoadBalancingWeight = 1,
            });
        }

        return new ClusterLoadAssignment { ClusterName = cluster, Endpoints = { locality } };
    }
}
