using System.Text;
using Rigging.Proxy.Clusters;
using Rigging.Proxy.Config;

namespace Rigging.Proxy.Telemetry;

/// <summary>
/// Per-cluster families of /stats, as Envoy's Prometheus output names them: <c>cluster.NAME.STAT</c> becomes
/// <c>envoy_cluster_STAT{envoy_cluster_name="NAME"}</c> (dots become underscores). The statistics come from
/// <see cref="ClusterState.ReadStats"/>: requests, retries, pending overflows, ejections, membership.
/// </summary>
internal static class ClusterStatsFormat
{
    private const string Label = "envoy_cluster_name";

    public static void Write(StringBuilder text, ProxySnapshot snapshot)
    {
        // Gathered per family first: Prometheus wants every sample of a family under its one TYPE line.
        var families = new SortedDictionary<string, (bool Gauge, List<(string Cluster, long Value)> Samples)>(StringComparer.Ordinal);
        foreach (var (name, cluster) in snapshot.Clusters.OrderBy(c => c.Key, StringComparer.Ordinal))
        {
            foreach (var stat in cluster.ReadStats())
            {
                var metric = "envoy_cluster_" + PrometheusFormat.Sanitize(stat.Name);
                if (!families.TryGetValue(metric, out var family)) families[metric] = family = (stat.IsGauge, []);
                family.Samples.Add((name, stat.Value));
            }
        }
        foreach (var (metric, (gauge, samples)) in families)
        {
            PrometheusFormat.Type(text, metric, gauge ? "gauge" : "counter");
            foreach (var (cluster, value) in samples) PrometheusFormat.Sample(text, metric, Label, cluster, null, null, value);
        }
    }
}
