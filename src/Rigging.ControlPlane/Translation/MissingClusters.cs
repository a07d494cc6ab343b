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
            foreach (var vhost in table.VirtualHosts)
            {
                foreach (var route in vhost.Routes)
                {
                    if (route.Route_ is not { } action) continue;
                    var missing = action.ClusterSpecifierCase == RouteAction.ClusterSpecifierOneofCase.Cluster
                        ? (clusters.Contains(action.Cluster) ? null : action.Cluster)
                        : action.WeightedClusters?.Clusters.Select(c => c.Name).FirstOrDefault(n => !clusters.Contains(n));
                    if (missing is null) continue;
                    issues[$"{vhost.Name}|{route.Name}|{missing}"] =
                        $"virtual host {vhost.Name}, route \"{route.Name}\": destination cluster {missing} does not exist (a subset no DestinationRule defines, or an unknown host); the route answers 503";
                    route.DirectResponse = new DirectResponseAction
                    {
                        Status = 503,
                        Body = new Envoy.Config.Core.V3.DataSource { InlineString = $"no cluster {missing}" },
                    };
                }
            }
        }
    }
}
