namespace Rigging.Api.Networking;

/// <summary>Matches objects of a waypoint proxy.</summary>
public sealed record WaypointMatch
{
    public uint? PortNumber { get; init; }

    public WaypointRouteMatch? Route { get; init; }

    public WaypointFilterMatch? Filter { get; init; }
}
