namespace Rigging.Api.Networking;

/// <summary>Spec of a WorkloadGroup: a template for WorkloadEntries created when VMs register.</summary>
public sealed record WorkloadGroup
{
    public WorkloadGroupMetadata? Metadata { get; init; }

    public WorkloadEntry? Template { get; init; }

    public ReadinessProbe? Probe { get; init; }
}
