namespace Rigging.Proxy.Clusters.Outlier;

/// <summary>A cluster's outlier_detection, with Envoy's defaults for what is unset. Immutable; shared by the detector.</summary>
public sealed record OutlierDetectionConfig
{
    public uint Consecutive5xx { get; init; } = 5;

    /// <summary>Percent chance that crossing consecutive_5xx ejects (Envoy: 100).</summary>
    public uint EnforcingConsecutive5xx { get; init; } = 100;

    public uint ConsecutiveGatewayFailure { get; init; } = 5;

    /// <summary>Envoy: 0 (detected but not enforced) unless set; Istio sets 100 when it sets the threshold.</summary>
    public uint EnforcingConsecutiveGatewayFailure { get; init; }

    /// <summary>When false, local failures (connect failure, reset, timeout) count as 503s from the endpoint.</summary>
    public bool SplitExternalLocalOriginErrors { get; init; }

    public uint ConsecutiveLocalOriginFailure { get; init; } = 5;

    public uint EnforcingConsecutiveLocalOriginFailure { get; init; } = 100;

    public TimeSpan Interval { get; init; } = TimeSpan.FromSeconds(10);

    public TimeSpan BaseEjectionTime { get; init; } = TimeSpan.FromSeconds(30);

    public TimeSpan MaxEjectionTime { get; init; } = TimeSpan.FromSeconds(300);

    public uint MaxEjectionPercent { get; init; } = 10;

    /// <summary>Eject one endpoint even when that is above max_ejection_percent.</summary>
    public bool AlwaysEjectOneHost { get; init; }

    /// <summary>A passing active health check ends an ejection early (Envoy: true).</summary>
    public bool SuccessfulActiveHealthCheckUnejectHost { get; init; } = true;

    /// <summary>How long the n-th consecutive ejection lasts: base × n, capped by max(base, max_ejection_time).</summary>
    public TimeSpan EjectionTime(int ejections)
    {
        var cap = MaxEjectionTime > BaseEjectionTime ? MaxEjectionTime : BaseEjectionTime;
        var time = BaseEjectionTime * Math.Max(1, ejections);
        return time > cap ? cap : time;
    }
}
