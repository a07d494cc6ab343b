namespace Rigging.Api.Networking;

/// <summary>Labels and annotations copied onto generated WorkloadEntries.</summary>
public sealed record WorkloadGroupMetadata
{
    public IReadOnlyDictionary<string, string>? Labels { get; init; }

    public IReadOnlyDictionary<string, string>? Annotations { get; init; }
}
