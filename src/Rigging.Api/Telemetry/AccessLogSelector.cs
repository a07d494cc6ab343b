namespace Rigging.Api.Telemetry;

/// <summary>Which traffic direction access log settings apply to.</summary>
public sealed record AccessLogSelector
{
    public TelemetryWorkloadMode? Mode { get; init; }
}
