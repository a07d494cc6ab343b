namespace Rigging.Api.Networking;

/// <summary>Matches a waypoint filter by name.</summary>
public sealed record WaypointFilterMatch
{
    public string? Name { get; init; }

    public WaypointSubFilterMatch? SubFilter { get; init; }
}
