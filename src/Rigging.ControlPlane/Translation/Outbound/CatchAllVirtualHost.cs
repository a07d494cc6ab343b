using Envoy.Config.Route.V3;
using Google.Protobuf.WellKnownTypes;

namespace Rigging.ControlPlane.Translation.Outbound;

/// <summary>
/// The last virtual host of a sidecar's outbound route table, for every authority no service claims (domain "*"):
/// ALLOW_ANY's "allow_any" forwards to the egress cluster (PassthroughCluster) with the route timeout disabled;
/// REGISTRY_ONLY's "block_all" answers 502 itself. CONNECT through the outbound port matches it too.
/// </summary>
internal static class CatchAllVirtualHost
{
    public const string AllowAny = "allow_any";
    public const string BlockAll = "block_all";

    public static VirtualHost For(OutboundPolicy policy) => policy.AllowAny
        ? Build(AllowAny, new Route { Route_ = new RouteAction { Cluster = policy.EgressCluster, Timeout = Duration.FromTimeSpan(TimeSpan.Zero) } })
        : Build(BlockAll, new Route { DirectResponse = new DirectResponseAction { Status = 502 } });

    private static VirtualHost Build(string name, Route route)
    {
        route.Name = name;
        route.Match = new RouteMatch { Prefix = "/" };
        return new VirtualHost { Name = name, Domains = { "*" }, Routes = { route } };
    }
}
