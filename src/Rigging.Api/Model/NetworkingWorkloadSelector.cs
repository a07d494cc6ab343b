namespace Rigging.Api.Model;

/// <summary>Chooses workloads by labels with a plain map (istio.networking.v1alpha3.WorkloadSelector, used by Sidecar, ServiceEntry and EnvoyFilter).</summary>
public sealed record NetworkingWorkloadSelector
{
    public IReadOnlyDictionary<string, string>? Labels { get; init; }
}
