using Envoy.Config.Listener.V3;
using Envoy.Extensions.Filters.Network.TcpProxy.V3;
using Google.Protobuf.WellKnownTypes;
using Rigging.Api.Networking;
using Rigging.ControlPlane.Registry;

namespace Rigging.ControlPlane.Translation.Security.GatewayTls;

/// <summary>
/// The tcp_proxy a gateway's tls or tcp route becomes (Istio's buildOutboundNetworkFilters): one cluster, or weighted
/// clusters when the route splits; a destination without a port goes to the server's port.
/// </summary>
internal static class GatewayTcpProxy
{
    /// <summary>The network filter, or null when no destination names a host.</summary>
    public static Filter? For(IReadOnlyList<RouteDestination?>? destinations, string routeNamespace, int port, string statPrefix)
    {
        var weighted = new TcpProxy.Types.WeightedCluster();
        foreach (var destination in destinations ?? [])
        {
            if (destination?.Destination?.Host is not { } host) continue;
            var target = destination.Destination.Port?.Number is { } n ? (int)n : port;
            weighted.Clusters.Add(new TcpProxy.Types.WeightedCluster.Types.ClusterWeight
            {
                Name = ClusterNames.Outbound(MeshDomain.Resolve(host, routeNamespace), target, destination.Destination.Subset),
                Weight = (uint)Math.Max(0, destination.Weight ?? (destinations!.Count == 1 ? 100 : 0)),
            });
        }
        if (weighted.Clusters.Count == 0) return null;
        var tcp = new TcpProxy { StatPrefix = statPrefix };
        if (weighted.Clusters.Count == 1) tcp.Cluster = weighted.Clusters[0].Name;
        else tcp.WeightedClusters = weighted;
        return new Filter { Name = FilterNames.TcpProxy, TypedConfig = Any.Pack(tcp) };
    }
}
