namespace Rigging.Proxy.Routing;

/// <summary>One compiled route: its match, its action, and the header changes it makes.</summary>
public sealed record RouteModel(string Name, RouteMatcher Match, RouteActionModel Action)
{
    public HeaderMutation RequestHeaders { get; init; } = HeaderMutation.None;

    public HeaderMutation ResponseHeaders { get; init; } = HeaderMutation.None;

    /// <summary>Per-filter settings of this route (typed_per_filter_config), compiled by the filters that read them.</summary>
    public IReadOnlyDictionary<string, object> FilterConfigs { get; init; } = new Dictionary<string, object>();
}
