namespace Rigging.Api.Networking;

/// <summary>Matches a waypoint route by name.</summary>
public sealed record WaypointRouteMatch
{
    public string? Name { get; init; }
}
