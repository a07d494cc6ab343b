namespace Rigging.Api.Model;

/// <summary>Chooses workloads by their labels (istio.type.v1beta1.WorkloadSelector).</summary>
public sealed record WorkloadSelector
{
    /// <summary>Labels a workload must all carry; values may not be wildcards.</summary>
    public IReadOnlyDictionary<string, string>? MatchLabels { get; init; }
}
