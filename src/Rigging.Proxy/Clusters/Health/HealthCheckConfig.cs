namespace Rigging.Proxy.Clusters.Health;

/// <summary>An active HTTP health check (Envoy's HealthCheck with http_health_check), compiled.</summary>
public sealed record HealthCheckConfig
{
    public required TimeSpan Timeout { get; init; }

    public required TimeSpan Interval { get; init; }

    /// <summary>Consecutive failures that mark a healthy endpoint down.</summary>
    public uint UnhealthyThreshold { get; init; } = 1;

    /// <summary>Consecutive successes that bring a failed endpoint back (the first check of a new endpoint needs one).</summary>
    public uint HealthyThreshold { get; init; } = 1;

    public required string Path { get; init; }

    /// <summary>The Host header; Envoy sends the cluster name when unset.</summary>
    public required string Host { get; init; }

    /// <summary>Half-open ranges [start, end) of healthy statuses; Envoy's default is 200 only.</summary>
    public EquatableArray<(long Start, long End)> ExpectedStatuses { get; init; } = new([(200, 201)]);

    public bool IsExpected(int status)
    {
        foreach (var (start, end) in ExpectedStatuses)
        {
            if (status >= start && status < end) return true;
        }
        return false;
    }
}
