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
            if (egressHosts is not null && !AllowedByAny(egressHosts, service, proxy.Namespace)) continue;
            yield return service;
        }
    }

    /// <summary>An egress host "ns/dnsName" split once per view: ns is "*", "." (the proxy's), "~" (none) or a name.</summary>
    private readonly record struct EgressHost(string Namespace, string Host);

    /// <summary>The Sidecar that applies to the proxy: one selecting it in its namespace, else the namespace's, else the root namespace's.</summary>
    public static Sidecar? SidecarFor(ProxyView proxy, PushContext push)
    {
        var candidates = push.SidecarsIn(proxy.Namespace);
        var chosen = candidates.FirstOrDefault(s => ((Sidecar)s.Spec!).WorkloadSelector?.Labels is { } labels
                && proxy.Matches(labels))
            ?? candidates.FirstOrDefault(s => ((Sidecar)s.Spec!).WorkloadSelector is null)
            ?? push.SidecarsIn(push.Mesh.RootNamespace).FirstOrDefault(s => ((Sidecar)s.Spec!).WorkloadSelector is null);
        return chosen?.Spec as Sidecar;
    }

    private static List<EgressHost>? SidecarEgressHosts(ProxyView proxy, PushContext push)
    {
        if (SidecarFor(proxy, push) is not { Egress: { Count: > 0 } egress }) return null;
        var hosts = new List<EgressHost>();
        foreach (var listener in egress)
        {
            foreach (var egressHost in listener?.Hosts ?? [])
            {
                if (egressHost is null) continue;
                var slash = egressHost.IndexOf('/');
                hosts.Add(slash < 0 ? new EgressHost("*", egressHost) : new EgressHost(egressHost[..slash], egressHost[(slash + 1)..]));
            }
        }
        return hosts;
    }

    private static bool AllowedByAny(List<EgressHost> egressHosts, ServiceModel service, string proxyNamespace)
    {
        foreach (var egressHost in egressHosts)
        {
            if (Allows(egressHost, service, proxyNamespace)) return true;
        }
        return false;
    }

    private static bool Allows(EgressHost egressHost, ServiceModel service, string proxyNamespace)
    {
        var (ns, host) = egressHost;
        var nsOk = ns == "*" || (ns == "." && service.Namespace == proxyNamespace) || ns == service.Namespace;
        if (!nsOk || ns == "~") return false;
        return host == "*" || string.Equals(host, service.Hostname, StringComparison.OrdinalIgnoreCase) || PushContext.Covers(host, service.Hostname);
    }
}
