namespace Rigging.Api.Telemetry;

/// <summary>Which traffic direction tracing settings apply to.</summary>
public sealed record TracingSelector
{
    public TelemetryWorkloadMode? Mode { get; init; }
}
