using System.Globalization;
using System.Text;
using Rigging.Proxy.Config;

namespace Rigging.Proxy.Telemetry;

/// <summary>
/// The proxy's statistics in Prometheus text exposition format (0.0.4), named and labelled as Envoy's
/// /stats/prometheus names them (envoy_http_downstream_rq_xx{envoy_response_code_class="2",...}), so dashboards
/// built for Envoy read them. Every metric family is written together with one TYPE line.
/// </summary>
public static class PrometheusFormat
{
    private const string HcmLabel = "envoy_http_conn_manager_prefix";

    public static string Render(ProxyStats stats, ProxySnapshot snapshot)
    {
        var text = new StringBuilder(4096);
        var scopes = stats.Scopes;
        Type(text, "envoy_http_downstream_rq_active", "gauge");
        text.Append("envoy_http_downstream_rq_active ").Append(stats.ActiveRequests).Append('\n');

        Type(text, "envoy_http_downstream_rq_total", "counter");
        foreach (var scope in scopes) Sample(text, "envoy_http_downstream_rq_total", HcmLabel, scope.Prefix, null, null, scope.RequestsTotal.Value);

        Type(text, "envoy_http_downstream_rq_xx", "counter");
        foreach (var scope in scopes)
        {
            for (var codeClass = 1; codeClass <= 5; codeClass++)
            {
                Sample(text, "envoy_http_downstream_rq_xx", "envoy_response_code_class", codeClass.ToString(CultureInfo.InvariantCulture),
                    HcmLabel, scope.Prefix, scope.ResponsesOfClass(codeClass).Value);
            }
        }

        // Envoy keeps response flags in access logs only; Istio's metrics carry them as a label, as here.
        Type(text, "envoy_http_downstream_rq_response_flags", "counter");
        foreach (var scope in scopes)
        {
            for (var i = 0; i < ResponseFlagNames.All.Length; i++)
            {
                var value = scope.ResponsesWithFlag(i).Value;
                if (value > 0) Sample(text, "envoy_http_downstream_rq_response_flags", HcmLabel, scope.Prefix, "response_flags", ResponseFlagNames.All[i], value);
            }
        }

        Type(text, "envoy_http_downstream_rq_time", "histogram");
        foreach (var scope in scopes) WriteHistogram(text, "envoy_http_downstream_rq_time", scope.Prefix, scope.RequestTime);

        WriteNamedCounters(text, stats);
        ClusterStatsFormat.Write(text, snapshot);
        return text.ToString();
    }

    private static void WriteHistogram(StringBuilder text, string name, string prefix, Histogram histogram)
    {
        var cumulative = histogram.CumulativeCounts();
        var bounds = Histogram.EnvoyBuckets;
        for (var i = 0; i < cumulative.Length; i++)
        {
            var le = i < bounds.Length ? bounds[i].ToString(CultureInfo.InvariantCulture) : "+Inf";
            Sample(text, name + "_bucket", HcmLabel, prefix, "le", le, cumulative[i]);
        }
        text.Append(name).Append("_sum{").Append(HcmLabel).Append("=\"").Append(Escape(prefix)).Append("\"} ")
            .Append(histogram.SumMilliseconds.ToString(CultureInfo.InvariantCulture)).Append('\n');
        Sample(text, name + "_count", HcmLabel, prefix, null, null, cumulative[^1]);
    }

    private static void WriteNamedCounters(StringBuilder text, ProxyStats stats)
    {
        string? lastName = null;
        foreach (var (prefix, name, value) in stats.Counters)
        {
            var metric = "envoy_" + Sanitize(name);
            if (metric != lastName)
            {
                Type(text, metric, "counter");
                lastName = metric;
            }
            Sample(text, metric, "envoy_stat_prefix", prefix, null, null, value);
        }
    }

    internal static void Type(StringBuilder text, string metric, string type) =>
        text.Append("# TYPE ").Append(metric).Append(' ').Append(type).Append('\n');

    internal static void Sample(StringBuilder text, string metric, string label, string value, string? label2, string? value2, long sample)
    {
        text.Append(metric).Append('{').Append(label).Append("=\"").Append(Escape(value)).Append('"');
        if (label2 is not null) text.Append(',').Append(label2).Append("=\"").Append(Escape(value2 ?? "")).Append('"');
        text.Append("} ").Append(sample).Append('\n');
    }

    internal static string Sanitize(string name)
    {
        var chars = name.ToCharArray();
        for (var i = 0; i < chars.Length; i++)
        {
            if (!char.IsAsciiLetterOrDigit(chars[i]) && chars[i] != '_') chars[i] = '_';
        }
        return new string(chars);
    }

    internal static string Escape(string value) =>
        value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);
}
