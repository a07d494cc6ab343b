namespace Rigging.Api.Networking;

/// <summary>Matches Envoy clusters.</summary>
public sealed record ClusterMatch
{
    public uint? PortNumber { get; init; }

    public string? Service { get; init; }

    public string? Subset { get; init; }

    public string? Name { get; init; }
}
