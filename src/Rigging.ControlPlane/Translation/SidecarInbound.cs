using Envoy.Config.Route.V3;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Rigging.ControlPlane.Model;
using Rigging.ControlPlane.Translation.Security;
using Rigging.ControlPlane.Translation.Security.Authorization;

namespace Rigging.ControlPlane.Translation;

/// <summary>
/// A sidecar's inbound side: the "virtualInbound" listener at its inbound port and the inbound|APP|| cluster to
/// its application. A workload has one application port, so the listener speaks the protocol of the service
/// ports that target it (Istio's protocol selection): HTTP ports get the HTTP connection manager with its route
/// table and HTTP policy filters; TCP ones (tcp, mongo, mysql, redis, tls, https) get tcp_proxy behind the network
/// RBAC filters, the inbound port standing for the application port as the chain's destination port; an unnamed
/// port (or one of a name Istio does not know) gets both, the proxy sniffing each connection, as Istio does.
/// Under PERMISSIVE, TLS that is not the mesh's goes to the application untouched, behind the same network RBAC.
/// </summary>
internal static class SidecarInbound
{
    public static IEnumerable<IMessage> Generate(ProxyView proxy, PushContext push)
    {
        if (proxy.InboundPort is not { } inbound || proxy.AppPort is not { } app) yield break;
        var protocol = AppProtocol(proxy, push, app);
        var mtls = push.PeerAuthenticationFor(proxy.Namespace, proxy.Labels).ForPort(app);
        var rbac = AuthorizationFilters.Tcp(proxy, push, AuthorizationFilters.InboundPort(proxy)).ToList();
        if (protocol.MayBeHttp())
        {
            var route = Route(app);
            yield return route;
            List<Envoy.Extensions.Filters.Network.HttpConnectionManager.V3.HttpFilter> policy = [.. PolicyFilters.Inbound(proxy, push)];
            yield return protocol.IsHttp()
                ? ListenerGenerator.Inbound("0.0.0.0", inbound, app, route.Name, policy, rbac, mtls)
                : ListenerGenerator.InboundSniffed("0.0.0.0", inbound, app, route.Name, policy, rbac, mtls);
        }
        else
        {
            yield return ListenerGenerator.InboundTcp("0.0.0.0", inbound, app, rbac, mtls);
        }
        yield return ClusterGenerator.Inbound(app, app, protocol);
    }

    /// <summary>The protocol of the service ports that target this workload's application port (HTTP when none say).</summary>
    private static Protocol AppProtocol(ProxyView proxy, PushContext push, int appPort)
    {
        foreach (var service in push.Services)
        {
            if (service.Namespace != proxy.Namespace || service.Selector is not { Count: > 0 } selector) continue;
            if (!proxy.Matches(selector)) continue;
            foreach (var port in service.Ports)
            {
                if (port.TargetPort == appPort) return port.Protocol;
            }
        }
        return Protocol.Http;
    }

    /// <summary>Every request to the application, without a timeout (the caller's side sets one).</summary>
    private static RouteConfiguration Route(int app) => new()
    {
        Name = ClusterNames.Inbound(app),
        VirtualHosts =
        {
            new VirtualHost
            {
                Name = $"inbound|http|{app}",
                Domains = { "*" },
                Routes =
                {
                    new Route
                    {
                        Name = "default",
                        Match = new RouteMatch { Prefix = "/" },
                        Route_ = new RouteAction { Cluster = ClusterNames.Inbound(app), Timeout = Duration.FromTimeSpan(TimeSpan.Zero) },
                    },
                },
            },
        },
    };
}
