namespace Rigging.Api.Networking;

/// <summary>Spec of a WorkloadEntry: a non-Kubernetes workload (VM, bare metal) and its properties.</summary>
public sealed record WorkloadEntry
{
    public string? Address { get; init; }

    public IReadOnlyDictionary<string, uint>? Ports { get; init; }

    public IReadOnlyDictionary<string, string>? Labels { get; init; }

    public string? Network { get; init; }

    public string? Locality { get; init; }

    public uint? Weight { get; init; }

    public string? ServiceAccount { get; init; }
}
