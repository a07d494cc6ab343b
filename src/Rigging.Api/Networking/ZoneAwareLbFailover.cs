namespace Rigging.Api.Networking;

/// <summary>The region to fail over to for zone-aware routing.</summary>
public sealed record ZoneAwareLbFailover
{
    public string? From { get; init; }

    public string? To { get; init; }
}
