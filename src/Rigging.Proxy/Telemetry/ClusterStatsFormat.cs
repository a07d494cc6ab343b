using System.Text;
using Rigging.Proxy.Config;

namespace Rigging.Proxy.Telemetry;

/// <summary>
/// Per-cluster families of /stats (Envoy's envoy_cluster_* names, label envoy_cluster_name): membership and
/// active requests read from the endpoints' states.
/// HOOK: the upstream counters Envoy has per cluster (upstream_rq_total, upstream_cx_total, upstream_rq_retry,
/// upstream_rq_pending_overflow, outlier_detection_ejections_enforced_total) belong on ClusterState (owned by
/// the cluster code); when it exposes them, write each as one more family here with <see cref="Family"/>.
/// </summary>
internal static class ClusterStatsFormat
{
    private const string Label = "envoy_cluster_name";

    public static void Write(StringBuilder text, ProxySnapshot snapshot)
    {
        var clusters = snapshot.Clusters.OrderBy(c => c.Key, StringComparer.Ordinal).Select(c => c.Value).ToList();
        Family(text, "envoy_cluster_membership_healthy", "gauge", clusters, c =>
        {
            var healthy = 0;
            foreach (var endpoint in c.Endpoints) if (endpoint.Available) healthy++;
            return healthy;
        });
        Family(text, "envoy_cluster_membership_total", "gauge", clusters, c => c.Endpoints.Length);
        Family(text, "envoy_cluster_upstream_rq_active", "gauge", clusters, c =>
        {
            long active = 0;
            foreach (var endpoint in c.Endpoints) active += endpoint.ActiveRequests;
            return active;
        });
        Family(text, "envoy_cluster_outlier_detection_ejections_active", "gauge", clusters, c =>
        {
            var ejected = 0;
            foreach (var endpoint in c.Endpoints) if (endpoint.Ejected) ejected++;
            return ejected;
        });
    }

    internal static void Family(StringBuilder text, string metric, string type, List<Clusters.ClusterState> clusters, Func<Clusters.ClusterState, long> value)
    {
        if (clusters.Count == 0) return;
        PrometheusFormat.Type(text, metric, type);
        foreach (var cluster in clusters) PrometheusFormat.Sample(text, metric, Label, cluster.Name, null, null, value(cluster));
    }
}
