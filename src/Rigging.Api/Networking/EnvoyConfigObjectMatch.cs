namespace Rigging.Api.Networking;

/// <summary>Selects the objects a patch applies to (set at most one object type).</summary>
public sealed record EnvoyConfigObjectMatch
{
    public EnvoyFilterPatchContext? Context { get; init; }

    public EnvoyFilterProxyMatch? Proxy { get; init; }

    public ListenerMatch? Listener { get; init; }

    public RouteConfigurationMatch? RouteConfiguration { get; init; }

    public ClusterMatch? Cluster { get; init; }

    public WaypointMatch? Waypoint { get; init; }
}
