using System.Text;
using Rigging.Proxy.Config;

namespace Rigging.Proxy.Telemetry;

/// <summary>The proxy's counters in Prometheus text exposition format, named as Envoy names them.</summary>
public static class PrometheusFormat
{
    public static string Render(ProxyStats stats, ProxySnapshot snapshot)
    {
        var text = new StringBuilder();
        text.Append("# TYPE envoy_http_downstream_rq_active gauge\n");
        text.Append("envoy_http_downstream_rq_active ").Append(stats.ActiveRequests).Append('\n');
        string? lastName = null;
        foreach (var (prefix, name, value) in stats.Counters.OrderBy(c => c.Name, StringComparer.Ordinal))
        {
            var metric = "envoy_" + Sanitize(name);
            if (metric != lastName)
            {
                text.Append("# TYPE ").Append(metric).Append(" counter\n");
                lastName = metric;
            }
            text.Append(metric).Append("{stat_prefix=\"").Append(Escape(prefix)).Append("\"} ").Append(value).Append('\n');
        }
        text.Append("# TYPE envoy_cluster_membership_healthy gauge\n");
        foreach (var (name, cluster) in snapshot.Clusters)
        {
            var healthy = cluster.Endpoints.Count(e => e.Available);
            text.Append("envoy_cluster_membership_healthy{cluster_name=\"").Append(Escape(name)).Append("\"} ").Append(healthy).Append('\n');
        }
        return text.ToString();
    }

    private static string Sanitize(string name)
    {
        var chars = name.ToCharArray();
        for (var i = 0; i < chars.Length; i++)
        {
            if (!char.IsAsciiLetterOrDigit(chars[i]) && chars[i] != '_') chars[i] = '_';
        }
        return new string(chars);
    }

    private static string Escape(string value) => value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);
}
