namespace Rigging.Proxy.Clusters;

/// <summary>
/// One cluster's counters, named as Envoy names them under <c>cluster.&lt;name&gt;.</c>. Incremented lock-free on
/// the request path; read with <see cref="ClusterState.ReadStats"/> (which adds the gauges).
/// </summary>
public sealed class ClusterStats
{
    private long _rqTotal;
    private long _rqRetry;
    private long _rqPendingOverflow;
    private long _rqRetryOverflow;
    private long _cxOverflow;
    private long _rqPendingTotal;
    private long _ejectionsTotal;
    private long _ejectionsConsecutive5xx;
    private long _ejectionsConsecutiveGatewayFailure;
    private long _ejectionsConsecutiveLocalOriginFailure;
    private long _ejectionsOverflow;

    /// <summary>upstream_rq_total: requests (and retries) admitted to the cluster.</summary>
    public long UpstreamRqTotal => Interlocked.Read(ref _rqTotal);

    /// <summary>upstream_rq_retry: retries admitted.</summary>
    public long UpstreamRqRetry => Interlocked.Read(ref _rqRetry);

    /// <summary>upstream_rq_pending_overflow: requests refused by max_requests or max_pending_requests (503 UO).</summary>
    public long UpstreamRqPendingOverflow => Interlocked.Read(ref _rqPendingOverflow);

    /// <summary>upstream_rq_retry_overflow: retries refused by max_retries.</summary>
    public long UpstreamRqRetryOverflow => Interlocked.Read(ref _rqRetryOverflow);

    /// <summary>upstream_cx_overflow: times a request found all max_connections busy.</summary>
    public long UpstreamCxOverflow => Interlocked.Read(ref _cxOverflow);

    /// <summary>upstream_rq_pending_total: requests that had to wait for a connection.</summary>
    public long UpstreamRqPendingTotal => Interlocked.Read(ref _rqPendingTotal);

    /// <summary>outlier_detection.ejections_total (enforced ejections, every kind).</summary>
    public long OutlierEjectionsTotal => Interlocked.Read(ref _ejectionsTotal);

    public long OutlierEjectionsConsecutive5xx => Interlocked.Read(ref _ejectionsConsecutive5xx);

    public long OutlierEjectionsConsecutiveGatewayFailure => Interlocked.Read(ref _ejectionsConsecutiveGatewayFailure);

    public long OutlierEjectionsConsecutiveLocalOriginFailure => Interlocked.Read(ref _ejectionsConsecutiveLocalOriginFailure);

    /// <summary>outlier_detection.ejections_overflow: ejections skipped because of max_ejection_percent.</summary>
    public long OutlierEjectionsOverflow => Interlocked.Read(ref _ejectionsOverflow);

    internal void RequestAdmitted(bool isRetry)
    {
        Interlocked.Increment(ref _rqTotal);
        if (isRetry) Interlocked.Increment(ref _rqRetry);
    }

    internal void PendingOverflow() => Interlocked.Increment(ref _rqPendingOverflow);

    internal void RetryOverflow() => Interlocked.Increment(ref _rqRetryOverflow);

    internal void ConnectionOverflow() => Interlocked.Increment(ref _cxOverflow);

    internal void Pending() => Interlocked.Increment(ref _rqPendingTotal);

    internal void Ejected(Outlier.EjectionKind kind)
    {
        Interlocked.Increment(ref _ejectionsTotal);
        switch (kind)
        {
            case Outlier.EjectionKind.Consecutive5xx: Interlocked.Increment(ref _ejectionsConsecutive5xx); break;
            case Outlier.EjectionKind.ConsecutiveGatewayFailure: Interlocked.Increment(ref _ejectionsConsecutiveGatewayFailure); break;
            case Outlier.EjectionKind.ConsecutiveLocalOriginFailure: Interlocked.Increment(ref _ejectionsConsecutiveLocalOriginFailure); break;
        }
    }

    internal void EjectionOverflow() => Interlocked.Increment(ref _ejectionsOverflow);
}

/// <summary>One cluster statistic for /stats: Envoy's name (without the <c>cluster.&lt;name&gt;.</c> prefix).</summary>
public readonly record struct ClusterStat(string Name, long Value, bool IsGauge);
