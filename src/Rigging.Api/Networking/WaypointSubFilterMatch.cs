namespace Rigging.Api.Networking;

/// <summary>Matches a waypoint HTTP filter by name.</summary>
public sealed record WaypointSubFilterMatch
{
    public string? Name { get; init; }
}
