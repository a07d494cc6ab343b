using Rigging.Api.Model;

namespace Rigging.Api.Networking;

/// <summary>Spec of a DestinationRule: policies for traffic to a service after routing.</summary>
public sealed record DestinationRule
{
    public string? Host { get; init; }

    public TrafficPolicy? TrafficPolicy { get; init; }

    public IReadOnlyList<Subset>? Subsets { get; init; }

    public IReadOnlyList<string>? ExportTo { get; init; }

    public WorkloadSelector? WorkloadSelector { get; init; }
}
