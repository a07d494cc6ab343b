using Envoy.Config.Route.V3;
using Rigging.Api.Model;
using Rigging.Api.Networking;
using Rigging.ControlPlane.Registry;
using EnvoyRoute = Envoy.Config.Route.V3.Route;

namespace Rigging.ControlPlane.Translation;

/// <summary>
/// A VirtualService's TCP routes for a TCP port, as the one route of its virtual host (the proxy tunnels CONNECT
/// requests for that authority to the chosen clusters): the first rule whose match applies.
/// </summary>
internal static class TcpRouteTranslator
{
    public static IEnumerable<EnvoyRoute> Translate(Resource resource, VirtualService vs, RouteContext context)
    {
        foreach (var tcp in vs.Tcp ?? [])
        {
            if (tcp is null) continue;
            var applies = tcp.Match is not { Count: > 0 } || tcp.Match.Any(m => m is not null && (m.Port is null || m.Port == context.Port)
                && (m.SourceLabels is null || context.Proxy.Matches(m.SourceLabels)));
            if (!applies) continue;
            var weighted = new WeightedCluster();
            foreach (var destination in tcp.Route ?? [])
            {
                if (destination?.Destination?.Host is not { } host) continue;
                var resolved = MeshDomain.Resolve(host, resource.Namespace);
                var port = destination.Destination.Port?.Number is { } p ? (int)p : context.Port;
                weighted.Clusters.Add(new WeightedCluster.Types.ClusterWeight
                {
                    Name = ClusterNames.Outbound(resolved, port, destination.Destination.Subset),
                    Weight = (uint)Math.Max(0, destination.Weight ?? (tcp.Route!.Count == 1 ? 100 : 0)),
                });
            }
            yield return new EnvoyRoute
            {
                Name = "tcp",
                Match = new RouteMatch { Prefix = "/" },
                Route_ = new RouteAction { WeightedClusters = weighted, Timeout = Google.Protobuf.WellKnownTypes.Duration.FromTimeSpan(TimeSpan.Zero) },
            };
            yield break;
        }
    }
}
