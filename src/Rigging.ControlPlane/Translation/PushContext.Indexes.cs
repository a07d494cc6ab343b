using System.Collections.Concurrent;
using System.Collections.Frozen;
using System.Collections.Immutable;
using Rigging.Api.Model;
using Rigging.Api.Networking;
using Rigging.ControlPlane.Model;
using Rigging.ControlPlane.Registry;

namespace Rigging.ControlPlane.Translation;

/// <summary>
/// Indexes over the push's resources, built once per push on first use (thread-safe: views may be translated in
/// parallel), so that one view's translation is linear in what it sees instead of services × resources. Each
/// lookup gives exactly what a scan in resource order gives: candidates keep their order, and the callers' rules
/// (exportTo, gateways, selectors, precedence) still decide among them.
/// </summary>
public sealed partial class PushContext
{
    private Lazy<HostIndex<DestinationRule>>? _rulesByHost;
    private Lazy<FrozenDictionary<string, Resource>>? _virtualServicesByName;
    private Lazy<FrozenDictionary<string, ImmutableArray<Resource>>>? _sidecarsByNamespace;
    private Lazy<FrozenDictionary<string, ImmutableArray<WorkloadInstance>>>? _instancesByLabel;
    private readonly ConcurrentDictionary<string, Lazy<GatewayVirtualServices>> _virtualServicesByGateway = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<ServiceModel, ImmutableArray<WorkloadInstance>> _instancesByService = new(ReferenceEqualityComparer.Instance);

    private HostIndex<DestinationRule> RulesByHost =>
        LazyInitializer.EnsureInitialized(ref _rulesByHost, () => new(() => HostIndex<DestinationRule>.Build(DestinationRules, r => r.Host is { } h ? [h] : null))).Value;

    /// <summary>VirtualServices bound to a gateway ("mesh" for sidecars), in order, with their hosts indexed.</summary>
    internal GatewayVirtualServices VirtualServicesFor(string gateway) =>
        _virtualServicesByGateway.GetOrAdd(gateway, g => new Lazy<GatewayVirtualServices>(() => GatewayVirtualServices.Build(this, g))).Value;

    /// <summary>The VirtualService named ns/name (the first in order, as a scan finds it), for delegation.</summary>
    internal Resource? FindVirtualService(string ns, string name) =>
        LazyInitializer.EnsureInitialized(ref _virtualServicesByName, () => new(() =>
        {
            var byName = new Dictionary<string, Resource>(StringComparer.Ordinal);
            foreach (var resource in VirtualServices) byName.TryAdd($"{resource.Namespace}/{resource.Name}", resource);
            return byName.ToFrozenDictionary(StringComparer.Ordinal);
        })).Value.GetValueOrDefault($"{ns}/{name}");

    /// <summary>The Sidecar resources of a namespace, in resource order.</summary>
    internal ImmutableArray<Resource> SidecarsIn(string ns) =>
        LazyInitializer.EnsureInitialized(ref _sidecarsByNamespace, () => new(() =>
            Sidecars.GroupBy(s => s.Namespace, StringComparer.Ordinal).ToFrozenDictionary(g => g.Key, g => g.ToImmutableArray(), StringComparer.Ordinal)))
            .Value.GetValueOrDefault(ns, []);

    /// <summary>Instances carrying label key=value, in instance order.</summary>
    private ImmutableArray<WorkloadInstance> InstancesLabelled(string key, string value) =>
        LazyInitializer.EnsureInitialized(ref _instancesByLabel, () => new(() =>
        {
            var byLabel = new Dictionary<string, List<WorkloadInstance>>(StringComparer.Ordinal);
            foreach (var instance in Instances)
            {
                foreach (var (k, v) in instance.Labels)
                {
                    var label = LabelKey(k, v);
                    if (!byLabel.TryGetValue(label, out var list)) byLabel[label] = list = [];
                    list.Add(instance);
                }
            }
            return byLabel.ToFrozenDictionary(p => p.Key, p => p.Value.ToImmutableArray(), StringComparer.Ordinal);
        })).Value.GetValueOrDefault(LabelKey(key, value), []);

    private static string LabelKey(string key, string value) => key + "\0" + value;

    /// <summary>
    /// Resources of one kind by the hosts they name, resolved in their namespace: exact names (case-insensitive)
    /// and the wildcard patterns ("*", "*.example.com") that may cover a name. Entries keep resource order.
    /// </summary>
    internal sealed class HostIndex<TSpec>
        where TSpec : class
    {
        private readonly FrozenDictionary<string, ImmutableArray<Entry>> _exact;

        private HostIndex(FrozenDictionary<string, ImmutableArray<Entry>> exact, ImmutableArray<Entry> wildcards)
        {
            _exact = exact;
            Wildcards = wildcards;
        }

        /// <summary>One host of one resource; Order is the resource's position in the kind's list.</summary>
        internal readonly record struct Entry(int Order, string Host, Resource Resource, TSpec Spec);

        /// <summary>Entries whose host equals the name (ignoring case).</summary>
        public ImmutableArray<Entry> Exact(string host) => _exact.GetValueOrDefault(host, []);

        /// <summary>Entries whose host is a wildcard pattern (check <see cref="Covers"/>).</summary>
        public ImmutableArray<Entry> Wildcards { get; }

        public static HostIndex<TSpec> Build(IReadOnlyList<Resource> resources, Func<TSpec, IReadOnlyList<string?>?> hosts)
        {
            var exact = new Dictionary<string, List<Entry>>(StringComparer.OrdinalIgnoreCase);
            var wildcards = ImmutableArray.CreateBuilder<Entry>();
            for (var order = 0; order < resources.Count; order++)
            {
                if (resources[order].Spec is not TSpec spec || hosts(spec) is not { } names) continue;
                foreach (var name in names)
                {
                    if (name is null) continue;
                    var entry = new Entry(order, MeshDomain.Resolve(name, resources[order].Namespace), resources[order], spec);
                    if (!exact.TryGetValue(entry.Host, out var list)) exact[entry.Host] = list = [];
                    list.Add(entry);
                    if (entry.Host == "*" || entry.Host.StartsWith("*.", StringComparison.Ordinal)) wildcards.Add(entry);
                }
            }
            return new(exact.ToFrozenDictionary(p => p.Key, p => p.Value.ToImmutableArray(), StringComparer.OrdinalIgnoreCase), wildcards.ToImmutable());
        }
    }

    /// <summary>The VirtualServices that apply to one gateway, in order, and their hosts indexed.</summary>
    internal sealed class GatewayVirtualServices
    {
        private GatewayVirtualServices(ImmutableArray<Resource> all, HostIndex<VirtualService> byHost)
        {
            All = all;
            ByHost = byHost;
        }

        public ImmutableArray<Resource> All { get; }

        public HostIndex<VirtualService> ByHost { get; }

        public static GatewayVirtualServices Build(PushContext push, string gateway)
        {
            var all = ImmutableArray.CreateBuilder<Resource>();
            foreach (var resource in push.VirtualServices)
            {
                if (resource.Spec is VirtualService vs && VirtualHostBuilder.AppliesTo(vs.Gateways, resource.Namespace, gateway)) all.Add(resource);
            }
            var list = all.ToImmutable();
            // Delegates (no hosts) are reached through their parent, never by host.
            return new(list, HostIndex<VirtualService>.Build(list, vs => vs.Hosts is { Count: > 0 } hosts ? hosts : null));
        }
    }
}
