using Envoy.Config.Listener.V3;
using FilterChainMatch = Envoy.Config.Listener.V3.FilterChainMatch;
using Envoy.Extensions.Filters.Network.TcpProxy.V3;
using Google.Protobuf.WellKnownTypes;
using Rigging.Api.Model;
using Rigging.Api.Networking;
using Rigging.ControlPlane.Registry;

namespace Rigging.ControlPlane.Translation.Security.GatewayTls;

/// <summary>
/// A PASSTHROUGH gateway server: the TLS stream is not terminated; each VirtualService tls route bound to the
/// gateway becomes a filter chain matched by its sniHosts (within the server's hosts) whose tcp_proxy sends the
/// bytes to the route's destination clusters, as Istio's gateway does.
/// </summary>
internal static class PassthroughChains
{
    public static IEnumerable<FilterChain> Build(Server server, IReadOnlyList<string> serverHosts, string gatewayName, int port, PushContext push)
    {
        foreach (var resource in push.VirtualServices)
        {
            var vs = (VirtualService)resource.Spec!;
            if (!VirtualHostBuilder.AppliesTo(vs.Gateways, resource.Namespace, gatewayName)) continue;
            foreach (var route in vs.Tls ?? [])
            {
                if (route is null) continue;
                foreach (var match in route.Match ?? [])
                {
                    if (match is null || (match.Port is { } p && p != port)) continue;
                    if (match.Gateways is { Count: > 0 } gateways && !VirtualHostBuilder.AppliesTo(gateways, resource.Namespace, gatewayName)) continue;
                    var sni = (match.SniHosts ?? []).Where(h => serverHosts.Any(s => GatewayHosts.Intersect(s, h))).ToList();
                    if (sni.Count == 0) continue;
                    var tcp = new TcpProxy { StatPrefix = $"{gatewayName}.{port}" };
                    var weighted = new TcpProxy.Types.WeightedCluster();
                    foreach (var destination in route.Route ?? [])
                    {
                        if (destination?.Destination?.Host is not { } host) continue;
                        var target = destination.Destination.Port?.Number is { } n ? (int)n : port;
                        weighted.Clusters.Add(new TcpProxy.Types.WeightedCluster.Types.ClusterWeight
                        {
                            Name = ClusterNames.Outbound(MeshDomain.Resolve(host, resource.Namespace), target, destination.Destination.Subset),
                            Weight = (uint)Math.Max(0, destination.Weight ?? (route.Route!.Count == 1 ? 100 : 0)),
                        });
                    }
                    if (weighted.Clusters.Count == 0) continue;
                    if (weighted.Clusters.Count == 1) tcp.Cluster = weighted.Clusters[0].Name;
                    else tcp.WeightedClusters = weighted;
                    var chain = new FilterChain
                    {
                        Name = $"{resource.Namespace}/{resource.Name} sni {string.Join(',', sni)}",
                        FilterChainMatch = new FilterChainMatch(),
                        Filters = { new Filter { Name = FilterNames.TcpProxy, TypedConfig = Any.Pack(tcp) } },
                    };
                    chain.FilterChainMatch.ServerNames.AddRange(sni);
                    yield return chain;
                }
            }
        }
    }
}
