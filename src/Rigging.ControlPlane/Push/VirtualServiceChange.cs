using Rigging.Api.Model;
using Rigging.Api.Networking;
using Rigging.ControlPlane.Config;
using Rigging.ControlPlane.Registry;
using Rigging.ControlPlane.Translation;

namespace Rigging.ControlPlane.Push;

/// <summary>
/// A push whose only change since the previous one is to VirtualServices (Istio's partial push for routes), and
/// the service virtual hosts (host:port) whose routes it may touch. Only route tables read VirtualServices, so
/// sidecars keep their clusters, endpoints and listeners and refresh just those virtual hosts
/// (<see cref="RouteRefresh"/>). A virtual host's routes depend on VirtualServices only through the one chosen
/// for its host (the first, in order, with a host equal to or covering it) and, through delegation, the
/// VirtualServices that one delegates to. So a host is touched when a changed VirtualService (before or after the
/// change) names it or covers it, or when a VirtualService delegating to a changed one does.
/// </summary>
public sealed class VirtualServiceChange
{
    private readonly HashSet<string> _touched;
    private readonly HashSet<string> _serviceVirtualHosts;

    private VirtualServiceChange(HashSet<string> touched, HashSet<string> serviceVirtualHosts)
    {
        _touched = touched;
        _serviceVirtualHosts = serviceVirtualHosts;
    }

    /// <summary>Names (host:port) of the service virtual hosts whose routes may have changed.</summary>
    public IReadOnlySet<string> Touched => _touched;

    /// <summary>True for a service virtual host the change did not touch.</summary>
    public bool Unchanged(string virtualHost) => _serviceVirtualHosts.Contains(virtualHost) && !_touched.Contains(virtualHost);

    /// <summary>
    /// The change, when the request names VirtualServices alone (no endpoint, proxy-independent or secret change)
    /// and the two contexts' resources differ in VirtualServices alone; else null (the push translates whole).
    /// Unchanged resources are the same objects from one store snapshot to the next, so the diff compares references.
    /// </summary>
    public static VirtualServiceChange? Of(PushRequest request, PushContext? previous, PushContext current)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(current);
        if (previous is null || !request.Full || request.EndpointsChanged) return null;
        if (request.Kinds.Count == 0 || !request.Kinds.All(k => k == KindName)) return null;
        if (previous.Mesh != current.Mesh) return null;

        var changed = Changed(previous.Resources, current.Resources);
        if (changed is null || changed.Count == 0) return null;
        var changedNames = new HashSet<string>(changed.Select(r => $"{r.Namespace}/{r.Name}"), StringComparer.Ordinal);
        var patterns = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var resource in changed) AddHosts(resource, patterns);
        foreach (var resource in previous.VirtualServices.Concat(current.VirtualServices))
        {
            if (DelegatesTo(resource, changedNames)) AddHosts(resource, patterns);
        }

        var touched = new HashSet<string>(StringComparer.Ordinal);
        var all = new HashSet<string>(StringComparer.Ordinal);
        foreach (var service in current.Services)
        {
            var hit = patterns.Contains(service.Hostname) || patterns.Any(p => PushContext.Covers(p, service.Hostname));
            foreach (var port in service.Ports)
            {
                var name = VirtualHostBuilder.Name(service.Hostname, port.Port);
                all.Add(name);
                if (hit) touched.Add(name);
            }
        }
        return new VirtualServiceChange(touched, all);
    }

    private const string KindName = "VirtualService";

    /// <summary>Resources added, removed or replaced (both versions), or null when one is not a VirtualService.</summary>
    private static List<Resource>? Changed(IReadOnlyList<Resource> before, IReadOnlyList<Resource> after)
    {
        var old = new Dictionary<ResourceKey, Resource>(before.Count);
        foreach (var resource in before) old.TryAdd(ResourceKey.Of(resource), resource);
        var changed = new List<Resource>();
        foreach (var resource in after)
        {
            var key = ResourceKey.Of(resource);
            if (old.Remove(key, out var was) && ReferenceEquals(was, resource)) continue;
            if (was is not null) changed.Add(was);
            changed.Add(resource);
        }
        changed.AddRange(old.Values);
        return changed.TrueForAll(r => r.Spec is VirtualService) ? changed : null;
    }

    private static void AddHosts(Resource resource, HashSet<string> patterns)
    {
        foreach (var host in ((VirtualService)resource.Spec!).Hosts ?? [])
        {
            if (host is not null) patterns.Add(MeshDomain.Resolve(host, resource.Namespace));
        }
    }

    private static bool DelegatesTo(Resource resource, HashSet<string> names)
    {
        foreach (var http in ((VirtualService)resource.Spec!).Http ?? [])
        {
            if (http?.Delegate is { Name: { } name } d && names.Contains($"{d.Namespace ?? resource.Namespace}/{name}")) return true;
        }
        return false;
    }
}
