using System.Collections.Frozen;
using Rigging.Proxy.Clusters;
using Rigging.Proxy.Listeners;
using Rigging.Proxy.Routing;

namespace Rigging.Proxy.Config;

/// <summary>
/// Everything the proxy runs on, compiled and immutable: swapped whole with one reference write; a request keeps
/// the snapshot it started with. Cluster states are long-lived objects shared by consecutive snapshots.
/// </summary>
public sealed class ProxySnapshot
{
    public static ProxySnapshot Empty { get; } = new()
    {
        Resources = XdsResources.Empty,
        Listeners = FrozenDictionary<string, ListenerModel>.Empty,
        Routes = FrozenDictionary<string, RouteTable>.Empty,
        Clusters = FrozenDictionary<string, ClusterState>.Empty,
    };

    /// <summary>The xDS resources this snapshot was compiled from (for config_dump and the next update).</summary>
    public required XdsResources Resources { get; init; }

    public required FrozenDictionary<string, ListenerModel> Listeners { get; init; }

    public required FrozenDictionary<string, RouteTable> Routes { get; init; }

    public required FrozenDictionary<string, ClusterState> Clusters { get; init; }
}
