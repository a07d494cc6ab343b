using Envoy.Config.Route.V3;
using Rigging.Api.Model;
using Rigging.Api.Networking;
using Rigging.ControlPlane.Model;
using Rigging.ControlPlane.Registry;

namespace Rigging.ControlPlane.Translation;

/// <summary>
/// One virtual host per service port, named <c>host:port</c>, with the names clients use (the FQDN, and for
/// Kubernetes services name.namespace, name.namespace.svc and, from the same namespace, the short name; each
/// with the port, and bare for port 80), routed by the first VirtualService that applies or the default route.
/// </summary>
internal static class VirtualHostBuilder
{
    public static VirtualHost Build(ServiceModel service, ServicePort port, ProxyView proxy, PushContext push, string gateway, HashSet<string> usedDomains)
    {
        var vhost = new VirtualHost { Name = Name(service.Hostname, port.Port) };
        foreach (var domain in Domains(service, port.Port, proxy.Namespace))
        {
            // Envoy refuses a route table where two virtual hosts claim one domain.
            if (usedDomains.Add(domain)) vhost.Domains.Add(domain);
        }
        vhost.Routes.AddRange(Routes(service, port, proxy, push, gateway));
        return vhost;
    }

    /// <summary>A service port's virtual host name, host:port.</summary>
    public static string Name(string hostname, int port) => $"{hostname}:{port}";

    /// <summary>
    /// The virtual host's routes: the only part of it that VirtualServices decide (its name and domains come from
    /// the service and the proxy's namespace), so a VirtualService change can rebuild just these.
    /// </summary>
    public static List<Envoy.Config.Route.V3.Route> Routes(ServiceModel service, ServicePort port, ProxyView proxy, PushContext push, string gateway)
    {
        var routes = new List<Envoy.Config.Route.V3.Route>();
        var context = new RouteContext(proxy, push, port.Port, gateway);
        var vs = VirtualServiceFor(service, proxy, push, gateway);
        if (vs is { } found)
        {
            // A sniffed port routes by the VirtualService's http rules when it has any (HTTP traffic is the
            // common case), else by its tcp rules; the proxy's CONNECT tunnels follow the same routes.
            if (port.Protocol.IsHttp() || port.Protocol == Protocol.Auto && found.Spec.Http is { Count: > 0 })
                routes.AddRange(RouteTranslator.Translate(found.Resource, found.Spec, context));
            else
                routes.AddRange(TcpRouteTranslator.Translate(found.Resource, found.Spec, context));
            // A TCP (or sniffed) port the VirtualService does not route still reaches its service.
            if (routes.Count == 0 && !port.Protocol.IsHttp()) routes.Add(RouteTranslator.Default(service, port.Port, push, proxy));
        }
        else
        {
            routes.Add(RouteTranslator.Default(service, port.Port, push, proxy));
        }
        return routes;
    }

    /// <summary>The first VirtualService bound to the gateway, visible from the proxy's namespace, naming the service's host.</summary>
    public static (Resource Resource, VirtualService Spec)? VirtualServiceFor(ServiceModel service, ProxyView proxy, PushContext push, string gateway)
    {
        // Both candidate lists are in resource order: the first visible of each, then the earlier of the two.
        var index = push.VirtualServicesFor(gateway).ByHost;
        PushContext.HostIndex<VirtualService>.Entry? found = null;
        foreach (var entry in index.Exact(service.Hostname))
        {
            if (!PushContext.ExportedTo(entry.Spec.ExportTo, entry.Resource.Namespace, proxy.Namespace)) continue;
            found = entry;
            break;
        }
        foreach (var entry in index.Wildcards)
        {
            if (found is { } earlier && earlier.Order <= entry.Order) break;
            if (!PushContext.Covers(entry.Host, service.Hostname)) continue;
            if (!PushContext.ExportedTo(entry.Spec.ExportTo, entry.Resource.Namespace, proxy.Namespace)) continue;
            found = entry;
            break;
        }
        return found is { } f ? (f.Resource, f.Spec) : null;
    }

    /// <summary>No gateways means "mesh"; a gateway is written "name" (the VirtualService's namespace) or "ns/name".</summary>
    public static bool AppliesTo(IReadOnlyList<string>? gateways, string vsNamespace, string gateway)
    {
        if (gateways is not { Count: > 0 }) return gateway == "mesh";
        foreach (var g in gateways)
        {
            if (g == gateway) return true;
            if (gateway != "mesh" && !g.Contains('/') && $"{vsNamespace}/{g}" == gateway) return true;
        }
        return false;
    }

    private static IEnumerable<string> Domains(ServiceModel service, int port, string proxyNamespace)
    {
        var names = new List<string> { service.Hostname };
        var kubernetesSuffix = $".{service.Namespace}.svc.{MeshDomain.ClusterDomain}";
        if (service.Hostname.EndsWith(kubernetesSuffix, StringComparison.Ordinal))
        {
            var shortName = service.Hostname[..^kubernetesSuffix.Length];
            names.Add($"{shortName}.{service.Namespace}.svc");
            names.Add($"{shortName}.{service.Namespace}");
            if (proxyNamespace == service.Namespace) names.Add(shortName);
        }
        foreach (var name in names)
        {
            yield return $"{name}:{port}";
            if (port == 80) yield return name;
        }
    }
}
