using System.Collections.Concurrent;
using Envoy.Config.Cluster.V3;
using Envoy.Config.Route.V3;
using Google.Protobuf;

namespace Rigging.ControlPlane.Translation;

/// <summary>
/// A route may name a cluster that does not exist (a VirtualService pointing at a subset no DestinationRule
/// defines, or at an unknown host). As in Istio, such a route fails with 503 while the rest keeps working: the
/// route answers 503 directly, so the snapshot stays consistent, and the problem is recorded for /debug.
/// </summary>
internal static class MissingClusters
{
    public static void Replace(List<IMessage> resources, ConcurrentDictionary<string, string> issues)
    {
        var clusters = new HashSet<string>(resources.OfType<Cluster>().Select(c => c.Name), StringComparer.Ordinal);
        foreach (var table in resources.OfType<RouteConfiguration>())
        {
            foreach (var vhost in table.VirtualHosts) Replace(vhost, clusters.Contains, issues);
        }
    }

    /// <summary>The same for one virtual host, given which clusters exist (a route-only push keeps the clusters it had).</summary>
    public static void Replace(VirtualHost vhost, Func<string, bool> exists, ConcurrentDictionary<string, string> issues)
    {
        foreach (var route in vhost.Routes)
        {
            if (route.Route_ is not { } action) continue;
            var missing = action.ClusterSpecifierCase == RouteAction.ClusterSpecifierOneofCase.Cluster
                ? (exists(action.Cluster) ? null : action.Cluster)
                : action.WeightedClusters?.Clusters.Select(c => c.Name).FirstOrDefault(n => !exists(n));
            if (missing is null) continue;
            issues[IssueKey(vhost.Name, route.Name, missing)] =
                $"virtual host {vhost.Name}, route \"{route.Name}\": destination cluster {missing} does not exist (a subset no DestinationRule defines, or an unknown host); the route answers 503";
            route.DirectResponse = new DirectResponseAction
            {
                Status = 503,
                Body = new Envoy.Config.Core.V3.DataSource { InlineString = $"no cluster {missing}" },
            };
        }
    }

    /// <summary>The virtual host a missing-cluster issue is about, or null for any other issue.</summary>
    public static string? VirtualHostOf(string issueKey)
    {
        if (!issueKey.StartsWith(IssuePrefix, StringComparison.Ordinal)) return null;
        var end = issueKey.IndexOf(' ', IssuePrefix.Length);
        return end < 0 ? null : issueKey[IssuePrefix.Length..end];
    }

    private const string IssuePrefix = "missing-cluster ";

    // Virtual host names hold no spaces (hosts, ports, commas, bars), so the name ends at the first one.
    private static string IssueKey(string vhost, string route, string missing) => $"{IssuePrefix}{vhost} {route}|{missing}";
}
