using System.Collections.Frozen;
using System.Collections.Immutable;
using Rigging.Api.Model;
using Rigging.Api.Networking;
using Rigging.ControlPlane.Model;
using Rigging.ControlPlane.Registry;

namespace Rigging.ControlPlane.Translation;

/// <summary>
/// Everything translation reads, indexed once per push and immutable (Istio's PushContext): services by host,
/// workload instances, and the Istio resources that shape traffic. Translation is a pure function of a proxy
/// and this context.
/// </summary>
public sealed partial class PushContext
{
    private readonly FrozenDictionary<string, ServiceModel> _servicesByHost;

    public PushContext(IEnumerable<Resource> config, IEnumerable<ServiceModel> services, IEnumerable<WorkloadInstance> instances, MeshSettings? mesh = null)
    {
        Mesh = mesh ?? MeshSettings.Default;
        var resources = config.ToList();
        Services = [.. services.OrderBy(s => s.Hostname, StringComparer.Ordinal)];
        var byHost = new Dictionary<string, ServiceModel>(StringComparer.OrdinalIgnoreCase);
        foreach (var service in Services) byHost.TryAdd(service.Hostname, service);
        _servicesByHost = byHost.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);
        Instances = [.. instances];
        Resources = [.. resources];
        VirtualServices = [.. resources.Where(r => r.Spec is VirtualService).OrderBy(r => r.Namespace, StringComparer.Ordinal).ThenBy(r => r.Name, StringComparer.Ordinal)];
        DestinationRules = [.. resources.Where(r => r.Spec is DestinationRule)];
        Gateways = [.. resources.Where(r => r.Spec is Gateway)];
        Sidecars = [.. resources.Where(r => r.Spec is Sidecar)];
    }

    public MeshSettings Mesh { get; }

    public ImmutableArray<ServiceModel> Services { get; }

    public ImmutableArray<WorkloadInstance> Instances { get; }

    /// <summary>Every resource of the push (partial files index the kinds they need from it).</summary>
    public ImmutableArray<Resource> Resources { get; }

    public ImmutableArray<Resource> VirtualServices { get; }

    public ImmutableArray<Resource> DestinationRules { get; }

    public ImmutableArray<Resource> Gateways { get; }

    public ImmutableArray<Resource> Sidecars { get; }

    /// <summary>Problems translation met (a route to a missing subset...), by key; shown in /debug/config_errors.</summary>
    public System.Collections.Concurrent.ConcurrentDictionary<string, string> Issues { get; } = new(StringComparer.Ordinal);

    public ServiceModel? FindService(string hostname) => _servicesByHost.GetValueOrDefault(hostname);

    /// <summary>The instances a service's selector picks (in instance order; computed once per service and push).</summary>
    public IEnumerable<WorkloadInstance> InstancesOf(ServiceModel service) => _instancesByService.GetOrAdd(service, SelectInstances);

    private ImmutableArray<WorkloadInstance> SelectInstances(ServiceModel service)
    {
        if (service.Selector is not { } selector) return [];
        var anyNamespace = selector.ContainsKey(ServiceDiscovery.ServiceEntryLabel) || service.External;
        // Only instances carrying one of the selector's labels can match: start from those.
        var candidates = Instances;
        foreach (var (key, value) in selector)
        {
            candidates = InstancesLabelled(key, value);
            break;
        }
        var picked = ImmutableArray.CreateBuilder<WorkloadInstance>();
        foreach (var instance in candidates)
        {
            if ((anyNamespace || instance.Namespace == service.Namespace) && instance.Matches(selector)) picked.Add(instance);
        }
        return picked.ToImmutable();
    }

    /// <summary>
    /// The DestinationRule for a host as seen from a proxy, with Istio's precedence: a rule whose workloadSelector
    /// picks the proxy, then the proxy's namespace, then the service's namespace, then the root namespace; an exact
    /// host before a wildcard.
    /// </summary>
    public (Resource Resource, DestinationRule Rule)? DestinationRuleFor(ProxyView proxy, ServiceModel service)
    {
        (Resource, DestinationRule)? best = null;
        var bestRank = int.MaxValue;
        var bestOrder = int.MaxValue;
        var index = RulesByHost;
        // Candidates come from two lists; (rank, order) picks what a scan in resource order keeping the first best picks.
        foreach (var entry in index.Exact(service.Hostname)) Consider(entry);
        foreach (var entry in index.Wildcards) Consider(entry);
        return best;

        void Consider(HostIndex<DestinationRule>.Entry entry)
        {
            var (order, host, resource, rule) = entry;
            if (!ExportedTo(rule.ExportTo, resource.Namespace, proxy.Namespace)) return;
            var exact = string.Equals(host, service.Hostname, StringComparison.OrdinalIgnoreCase);
            if (!exact && !Covers(host, service.Hostname)) return;
            if (rule.WorkloadSelector?.MatchLabels is { } labels && !proxy.Matches(labels)) return;
            var scope = rule.WorkloadSelector is not null ? 0
                : resource.Namespace == proxy.Namespace ? 1
                : resource.Namespace == service.Namespace ? 2
                : resource.Namespace == Mesh.RootNamespace ? 3
                : 4;
            var rank = scope * 2 + (exact ? 0 : 1);
            if (rank < bestRank || (rank == bestRank && order < bestOrder))
            {
                bestRank = rank;
                bestOrder = order;
                best = (resource, rule);
            }
        }
    }

    /// <summary>True when a wildcard host (*.example.com) covers a name.</summary>
    public static bool Covers(string pattern, string host) =>
        pattern == "*" || (pattern.StartsWith("*.", StringComparison.Ordinal) && host.EndsWith(pattern[1..], StringComparison.OrdinalIgnoreCase));

    public static bool ExportedTo(IReadOnlyList<string>? exportTo, string ownNamespace, string viewer)
    {
        if (exportTo is not { Count: > 0 }) return true;
        foreach (var e in exportTo)
        {
            if (e == "*" || e == viewer || (e == "." && viewer == ownNamespace)) return true;
        }
        return false;
    }
}
