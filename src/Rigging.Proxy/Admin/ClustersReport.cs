using System.Text;
using Rigging.Proxy.Clusters;
using Rigging.Proxy.Config;

namespace Rigging.Proxy.Admin;

/// <summary>
/// Envoy's /clusters text: per cluster its circuit breaker thresholds and outlier state
/// (<c>cluster::default_priority::max_requests::N</c>), then one line per endpoint fact,
/// <c>cluster::host:port::name::value</c>.
/// </summary>
internal static class ClustersReport
{
    public static string Render(ProxySnapshot snapshot)
    {
        var text = new StringBuilder();
        foreach (var (name, cluster) in snapshot.Clusters.OrderBy(c => c.Key, StringComparer.Ordinal))
        {
            var model = cluster.Model;
            var breakers = model.CircuitBreakers;
            text.Append(name).Append("::default_priority::max_connections::").Append(breakers.MaxConnections).Append('\n');
            text.Append(name).Append("::default_priority::max_pending_requests::").Append(breakers.MaxPendingRequests).Append('\n');
            text.Append(name).Append("::default_priority::max_requests::").Append(breakers.MaxRequests).Append('\n');
            text.Append(name).Append("::default_priority::max_retries::").Append(breakers.MaxRetries).Append('\n');
            text.Append(name).Append("::lb_policy::").Append(model.Policy).Append('\n');
            text.Append(name).Append("::panic::").Append(cluster.EndpointSet.InPanic ? "true" : "false").Append('\n');
            if (model.OutlierDetection is not null)
            {
                text.Append(name).Append("::outlier::ejections_active::").Append(cluster.Endpoints.Count(e => e.Ejected)).Append('\n');
                text.Append(name).Append("::outlier::ejections_total::").Append(cluster.Stats.OutlierEjectionsTotal).Append('\n');
            }
            foreach (var endpoint in cluster.Endpoints)
            {
                var prefix = $"{name}::{endpoint.Config.Key}::";
                var health = endpoint.Available ? "healthy" : string.Join('|', Flags(endpoint));
                text.Append(prefix).Append("health_flags::").Append(health).Append('\n');
                text.Append(prefix).Append("weight::").Append(endpoint.Config.Weight).Append('\n');
                text.Append(prefix).Append("rq_active::").Append(endpoint.ActiveRequests).Append('\n');
                text.Append(prefix).Append("rq_total::").Append(endpoint.TotalRequests).Append('\n');
                text.Append(prefix).Append("locality::").Append(endpoint.Config.Locality).Append('\n');
                if (model.OutlierDetection is not null)
                {
                    var outlier = endpoint.Outlier;
                    text.Append(prefix).Append("outlier::ejected::").Append(endpoint.Ejected ? "true" : "false").Append('\n');
                    text.Append(prefix).Append("outlier::ejections::").Append(outlier.Ejections).Append('\n');
                    text.Append(prefix).Append("outlier::consecutive_5xx::").Append(outlier.Consecutive5xxCount).Append('\n');
                    text.Append(prefix).Append("outlier::consecutive_gateway_failure::").Append(outlier.ConsecutiveGatewayFailureCount).Append('\n');
                }
                if (model.HealthCheck is not null)
                    text.Append(prefix).Append("hc::consecutive_failures::").Append(endpoint.HealthCheckFailures).Append('\n');
            }
        }
        return text.ToString();
    }

    private static IEnumerable<string> Flags(EndpointState endpoint)
    {
        if (endpoint.Ejected) yield return "/failed_outlier_check";
        if (endpoint.FailedHealthCheck) yield return "/failed_active_hc";
        if (endpoint.Config.Health == EndpointHealth.Unhealthy) yield return "/failed_eds_health";
        if (endpoint.Config.Health == EndpointHealth.Draining) yield return "/pending_dynamic_removal";
    }
}
