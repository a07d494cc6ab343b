namespace Rigging.Api.Telemetry;

/// <summary>Which metrics an override applies to (set Metric or CustomMetric).</summary>
public sealed record MetricSelector
{
    public IstioMetric? Metric { get; init; }

    public string? CustomMetric { get; init; }

    public TelemetryWorkloadMode? Mode { get; init; }
}
