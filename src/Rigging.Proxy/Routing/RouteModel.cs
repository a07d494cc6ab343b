using System.Collections.Frozen;
using System.Collections.Immutable;

namespace Rigging.Proxy.Routing;

/// <summary>One compiled route: its match, its action, and the header changes it makes.</summary>
public sealed record RouteModel(string Name, RouteMatcher Match, RouteActionModel Action)
{
    public HeaderMutation RequestHeaders { get; init; } = HeaderMutation.None;

    public HeaderMutation ResponseHeaders { get; init; } = HeaderMutation.None;

    /// <summary>
    /// Per-filter settings in effect for this route, by filter name: typed_per_filter_config of the route over its
    /// virtual host's over the route configuration's (most specific wins; CORS policies merge field by field).
    /// Known filters' configs are compiled (fault, CORS); others stay as their Any.
    /// </summary>
    public IReadOnlyDictionary<string, object> FilterConfigs { get; init; } = FrozenDictionary<string, object>.Empty;

    /// <summary>
    /// For weighted clusters whose entries change headers or the host: this route as seen with each cluster
    /// (same order as the clusters), the cluster's header changes applied first (Envoy's order). Empty otherwise.
    /// </summary>
    public ImmutableArray<RouteModel> PerCluster { get; init; } = [];

    /// <summary>This route as seen with the cluster at <paramref name="index"/> of its weighted clusters.</summary>
    public RouteModel ForCluster(int index) => PerCluster.IsDefaultOrEmpty || index < 0 ? this : PerCluster[index];
}
