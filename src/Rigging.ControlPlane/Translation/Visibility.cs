using Rigging.Api.Networking;
using Rigging.ControlPlane.Model;

namespace Rigging.ControlPlane.Translation;

/// <summary>
/// Which services a proxy sees: those exported to its namespace, narrowed by the Sidecar resource that applies to
/// it (a workload-selecting one in its namespace, else its namespace's default, else the root namespace's).
/// </summary>
internal static class Visibility
{
    public static IEnumerable<ServiceModel> ServicesFor(ProxyView proxy, PushContext push)
    {
        var egressHosts = SidecarEgressHosts(proxy, push);
        foreach (var service in push.Services)
        {
            if (!service.VisibleFrom(proxy.Namespace)) continue;
            if (egressHosts is not null && !egressHosts.Any(h => Allows(h, service, proxy.Namespace))) continue;
            yield return service;
        }
    }

    private static List<string>? SidecarEgressHosts(ProxyView proxy, PushContext push)
    {
        var candidates = push.Sidecars.Where(s => s.Namespace == proxy.Namespace).ToList();
        var chosen = candidates.FirstOrDefault(s => ((Sidecar)s.Spec!).WorkloadSelector?.Labels is { } labels
                && proxy.Matches(labels))
            ?? candidates.FirstOrDefault(s => ((Sidecar)s.Spec!).WorkloadSelector is null)
            ?? push.Sidecars.FirstOrDefault(s => s.Namespace == push.Mesh.RootNamespace && ((Sidecar)s.Spec!).WorkloadSelector is null);
        if (chosen?.Spec is not Sidecar sidecar || sidecar.Egress is not { Count: > 0 } egress) return null;
        return egress.Where(e => e is not null).SelectMany(e => e.Hosts ?? []).OfType<string>().ToList();
    }

    /// <summary>An egress host "ns/dnsName": ns is "*", "." (the proxy's), "~" (none) or a name; dnsName may be a wildcard.</summary>
    private static bool Allows(string egressHost, ServiceModel service, string proxyNamespace)
    {
        var slash = egressHost.IndexOf('/');
        var ns = slash < 0 ? "*" : egressHost[..slash];
        var host = slash < 0 ? egressHost : egressHost[(slash + 1)..];
        var nsOk = ns == "*" || (ns == "." && service.Namespace == proxyNamespace) || ns == service.Namespace;
        if (!nsOk || ns == "~") return false;
        return host == "*" || string.Equals(host, service.Hostname, StringComparison.OrdinalIgnoreCase) || PushContext.Covers(host, service.Hostname);
    }
}
