using Rigging.Api.Model;

namespace Rigging.Api.Telemetry;

/// <summary>Spec of a Telemetry: metrics, tracing and access logging for workloads.</summary>
public sealed record Telemetry
{
    public WorkloadSelector? Selector { get; init; }

    public PolicyTargetReference? TargetRef { get; init; }

    public IReadOnlyList<PolicyTargetReference>? TargetRefs { get; init; }

    public IReadOnlyList<Tracing>? Tracing { get; init; }

    public IReadOnlyList<Metrics>? Metrics { get; init; }

    public IReadOnlyList<AccessLogging>? AccessLogging { get; init; }
}
