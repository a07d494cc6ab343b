using Envoy.Config.Listener.V3;
using FilterChainMatch = Envoy.Config.Listener.V3.FilterChainMatch;
using Rigging.Api.Networking;

namespace Rigging.ControlPlane.Translation.Security.GatewayTls;

/// <summary>
/// A PASSTHROUGH gateway server: the TLS stream is not terminated; each VirtualService tls route bound to the
/// gateway becomes a filter chain matched by its sniHosts (within the server's hosts) whose tcp_proxy sends the
/// bytes to the route's destination clusters, as Istio's gateway does. An SNI host an earlier route already
/// claimed on this port skips the rule (Envoy refuses two chains with the same match), reported as Istio logs it.
/// </summary>
internal static class PassthroughChains
{
    public static IEnumerable<FilterChain> Build(IReadOnlyList<string> serverHosts, string gatewayName, int port, ISet<string> claimedSni, PushContext push)
    {
        foreach (var resource in push.VirtualServicesFor(gatewayName).All)
        {
            var vs = (VirtualService)resource.Spec!;
            var tls = vs.Tls ?? [];
            for (var r = 0; r < tls.Count; r++)
            {
                if (tls[r] is not { } route) continue;
                foreach (var match in route.Match ?? [])
                {
                    if (match is null || (match.Port is { } p && p != port)) continue;
                    if (match.Gateways is { Count: > 0 } gateways && !VirtualHostBuilder.AppliesTo(gateways, resource.Namespace, gatewayName)) continue;
                    var sni = (match.SniHosts ?? []).Where(h => serverHosts.Any(s => GatewayHosts.Intersect(s, h))).ToList();
                    if (sni.Count == 0) continue;
                    var duplicates = sni.Where(h => claimedSni.Contains(h)).ToList();
                    if (duplicates.Count > 0)
                    {
                        push.Issues[$"gateway-sni/{gatewayName}/{port}/{resource.DisplayName}/tls[{r}]"] =
                            $"{resource.DisplayName}: spec.tls[{r}] skipped on port {port} of gateway {gatewayName}: duplicate SNI host names {string.Join(", ", duplicates)}";
                        continue;
                    }
                    if (GatewayTcpProxy.For(route.Route, resource.Namespace, port, $"{gatewayName}.{port}") is not { } filter) continue;
                    claimedSni.UnionWith(sni);
                    var chain = new FilterChain
                    {
                        Name = $"{resource.Namespace}/{resource.Name} sni {string.Join(',', sni)}",
                        FilterChainMatch = new FilterChainMatch(),
                        Filters = { filter },
                    };
                    chain.FilterChainMatch.ServerNames.AddRange(sni);
                    yield return chain;
                }
            }
        }
    }
}
