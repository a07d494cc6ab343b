using Envoy.Config.Listener.V3;
using Rigging.Api.Networking;

namespace Rigging.ControlPlane.Translation.Security.GatewayTls;

/// <summary>
/// Where a TCP or TLS gateway server that is not PASSTHROUGH sends its bytes (Istio's
/// buildGatewayNetworkFiltersFromTCPRoutes): the first VirtualService bound to the gateway whose hosts meet the
/// server's, and in it the first tcp rule whose match applies to this port and gateway (no match: it applies).
/// A server with tls terminates it first, so the route sees the decrypted bytes.
/// </summary>
internal static class TcpServerRoute
{
    /// <summary>The tcp_proxy filter, or null when no tcp route applies.</summary>
    public static Filter? Find(IReadOnlyList<string> serverHosts, string gatewayName, int port, PushContext push)
    {
        foreach (var resource in push.VirtualServicesFor(gatewayName).All)
        {
            var vs = (VirtualService)resource.Spec!;
            if (!(vs.Hosts ?? []).OfType<string>().Any(h => serverHosts.Any(s => GatewayHosts.Intersect(s, h)))) continue;
            foreach (var tcp in vs.Tcp ?? [])
            {
                if (tcp is null || !Applies(tcp.Match, port, gatewayName, resource.Namespace)) continue;
                return GatewayTcpProxy.For(tcp.Route, resource.Namespace, port, $"{gatewayName}.{port}");
            }
        }
        return null;
    }

    private static bool Applies(IReadOnlyList<L4MatchAttributes?>? matches, int port, string gatewayName, string routeNamespace)
    {
        if (matches is not { Count: > 0 }) return true;
        foreach (var match in matches)
        {
            if (match is null) continue;
            if (match.Port is { } p && p != port) continue;
            if (match.Gateways is { Count: > 0 } gateways && !VirtualHostBuilder.AppliesTo(gateways, routeNamespace, gatewayName)) continue;
            return true;
        }
        return false;
    }
}
