using Rigging.Proxy.Routing;

namespace Rigging.Proxy.Listeners;

/// <summary>A compiled TcpProxy: the cluster(s) connections go to and when an idle one is closed.</summary>
public sealed record TcpProxyModel(string StatPrefix, WeightedClusterChoice Clusters, TimeSpan IdleTimeout) : NetworkFilterModel(StatPrefix)
{
    /// <summary>envoy.filters.network.rbac filters before the tcp_proxy, run when a connection is accepted.</summary>
    public IReadOnlyList<Tcp.NetworkRbacFilter> Rbac { get; init; } = [];
}
