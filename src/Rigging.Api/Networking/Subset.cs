namespace Rigging.Api.Networking;

/// <summary>A named set of a service's endpoints, chosen by labels, with its own policy.</summary>
public sealed record Subset
{
    public string? Name { get; init; }

    public IReadOnlyDictionary<string, string>? Labels { get; init; }

    public TrafficPolicy? TrafficPolicy { get; init; }
}
