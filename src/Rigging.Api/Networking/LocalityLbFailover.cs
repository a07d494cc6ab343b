namespace Rigging.Api.Networking;

/// <summary>The region to fail over to when a region has no healthy endpoints.</summary>
public sealed record LocalityLbFailover
{
    public string? From { get; init; }

    public string? To { get; init; }
}
