using System.Globalization;
using System.Text;
using Rigging.ControlPlane.Push;

namespace Rigging.ControlPlane.Debug;

/// <summary>/metrics in Prometheus text format: pushes, push time histogram, proxies, NACKs, config errors.</summary>
internal static class PrometheusText
{
    public static string Write(PushMetrics push, int connectedProxies, long nacks, int configErrors)
    {
        var text = new StringBuilder();
        Counter(text, "rigging_pushes_total", "Pushes done (debounced changes)", push.Pushes);
        Counter(text, "rigging_full_pushes_total", "Pushes for config changes", push.FullPushes);
        Counter(text, "rigging_proxy_snapshots_total", "Snapshots generated for proxies", push.ProxyUpdates);
        Counter(text, "rigging_inconsistent_snapshots_total", "Snapshots refused as inconsistent", push.Inconsistent);
        text.Append("# HELP rigging_push_duration_seconds Time to build a push context and every affected snapshot\n");
        text.Append("# TYPE rigging_push_duration_seconds histogram\n");
        var buckets = push.CumulativeBuckets();
        for (var i = 0; i < buckets.Count; i++)
        {
            text.Append(CultureInfo.InvariantCulture, $"rigging_push_duration_seconds_bucket{{le=\"{PushMetrics.Buckets[i].ToString(CultureInfo.InvariantCulture)}\"}} {buckets[i]}\n");
        }
        text.Append(CultureInfo.InvariantCulture, $"rigging_push_duration_seconds_bucket{{le=\"+Inf\"}} {push.Pushes}\n");
        text.Append(CultureInfo.InvariantCulture, $"rigging_push_duration_seconds_sum {push.PushSecondsSum.ToString("R", CultureInfo.InvariantCulture)}\n");
        text.Append(CultureInfo.InvariantCulture, $"rigging_push_duration_seconds_count {push.Pushes}\n");
        Gauge(text, "rigging_connected_proxies", "Proxies with an open xDS stream", connectedProxies);
        Counter(text, "rigging_xds_nacks_total", "NACKs received from proxies", nacks);
        Gauge(text, "rigging_config_errors", "Config files rejected (and duplicate definitions)", configErrors);
        return text.ToString();
    }

    private static void Counter(StringBuilder text, string name, string help, long value) => Metric(text, name, help, "counter", value);

    private static void Gauge(StringBuilder text, string name, string help, long value) => Metric(text, name, help, "gauge", value);

    private static void Metric(StringBuilder text, string name, string help, string type, long value) =>
        text.Append(CultureInfo.InvariantCulture, $"# HELP {name} {help}\n# TYPE {name} {type}\n{name} {value}\n");
}
