namespace Rigging.Api.Telemetry;

/// <summary>Traffic direction for Telemetry selectors (istio.telemetry.v1alpha1.WorkloadMode).</summary>
public enum TelemetryWorkloadMode
{
    CLIENT_AND_SERVER,
    CLIENT,
    SERVER,
}
