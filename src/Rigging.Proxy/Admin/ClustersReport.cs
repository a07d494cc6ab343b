using System.Text;
using Rigging.Proxy.Config;

namespace Rigging.Proxy.Admin;

/// <summary>Envoy's /clusters text: one line per endpoint fact, <c>cluster::host:port::name::value</c>.</summary>
internal static class ClustersReport
{
    public static string Render(ProxySnapshot snapshot)
    {
        var text = new StringBuilder();
        foreach (var (name, cluster) in snapshot.Clusters.OrderBy(c => c.Key, StringComparer.Ordinal))
        {
            foreach (var endpoint in cluster.Endpoints)
            {
                var prefix = $"{name}::{endpoint.Config.Key}::";
                var health = endpoint.Available ? "healthy" : string.Join('|', Flags(endpoint));
                text.Append(prefix).Append("health_flags::").Append(health).Append('\n');
                text.Append(prefix).Append("weight::").Append(endpoint.Config.Weight).Append('\n');
                text.Append(prefix).Append("rq_active::").Append(endpoint.ActiveRequests).Append('\n');
                text.Append(prefix).Append("locality::").Append(endpoint.Config.Locality).Append('\n');
            }
        }
        return text.ToString();
    }

    private static IEnumerable<string> Flags(Clusters.EndpointState endpoint)
    {
        if (endpoint.Ejected) yield return "/failed_outlier_check";
        if (endpoint.FailedHealthCheck) yield return "/failed_active_hc";
        if (endpoint.Config.Health == Clusters.EndpointHealth.Unhealthy) yield return "/failed_eds_health";
        if (endpoint.Config.Health == Clusters.EndpointHealth.Draining) yield return "/pending_dynamic_removal";
    }
}
