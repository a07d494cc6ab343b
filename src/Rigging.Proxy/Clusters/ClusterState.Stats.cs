namespace Rigging.Proxy.Clusters;

public sealed partial class ClusterState
{
    /// <summary>
    /// Every statistic of this cluster for /stats, named as Envoy names them after <c>cluster.&lt;name&gt;.</c>
    /// (e.g. <c>upstream_rq_pending_overflow</c>); gauges are flagged. Admin path only: allocates.
    /// </summary>
    public IReadOnlyList<ClusterStat> ReadStats()
    {
        var endpoints = Endpoints;
        int available = 0, ejected = 0, failedHealthCheck = 0;
        foreach (var endpoint in endpoints)
        {
            if (endpoint.Available) available++;
            if (endpoint.Ejected) ejected++;
            if (endpoint.FailedHealthCheck) failedHealthCheck++;
        }
        var s = Stats;
        return
        [
            new("upstream_rq_total", s.UpstreamRqTotal, false),
            new("upstream_rq_retry", s.UpstreamRqRetry, false),
            new("upstream_rq_pending_total", s.UpstreamRqPendingTotal, false),
            new("upstream_rq_pending_overflow", s.UpstreamRqPendingOverflow, false),
            new("upstream_rq_retry_overflow", s.UpstreamRqRetryOverflow, false),
            new("upstream_cx_overflow", s.UpstreamCxOverflow, false),
            new("upstream_rq_active", ActiveRequests, true),
            new("upstream_rq_pending_active", PendingRequests, true),
            new("outlier_detection.ejections_total", s.OutlierEjectionsTotal, false),
            new("outlier_detection.ejections_enforced_total", s.OutlierEjectionsTotal, false),
            new("outlier_detection.ejections_enforced_consecutive_5xx", s.OutlierEjectionsConsecutive5xx, false),
            new("outlier_detection.ejections_enforced_consecutive_gateway_failure", s.OutlierEjectionsConsecutiveGatewayFailure, false),
            new("outlier_detection.ejections_enforced_consecutive_local_origin_failure", s.OutlierEjectionsConsecutiveLocalOriginFailure, false),
            new("outlier_detection.ejections_overflow", s.OutlierEjectionsOverflow, false),
            new("outlier_detection.ejections_active", ejected, true),
            new("membership_total", endpoints.Length, true),
            new("membership_healthy", available, true),
            new("health_check.failed_active", failedHealthCheck, true),
        ];
    }
}
