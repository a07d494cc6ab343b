using System.Collections.Frozen;
using Envoy.Config.Cluster.V3;
using Envoy.Config.Endpoint.V3;
using Envoy.Config.Listener.V3;
using Envoy.Config.Route.V3;
using Envoy.Extensions.TransportSockets.Tls.V3;
using Google.Protobuf;

namespace Rigging.Xds.Cache;

/// <summary>
/// An immutable set of xDS resources for one node, grouped by type URL. Each resource is serialized once,
/// when the snapshot is built; versions are content hashes, so an unchanged resource keeps its version.
/// </summary>
public sealed class Snapshot
{
    private readonly FrozenDictionary<string, ResourceSet> _types;
    private readonly Lazy<IReadOnlyList<string>> _consistency;

    private Snapshot(FrozenDictionary<string, ResourceSet> types, Func<Snapshot, IReadOnlyList<string>>? consistency = null)
    {
        _types = types;
        consistency ??= SnapshotConsistency.Check;
        _consistency = new Lazy<IReadOnlyList<string>>(() => consistency(this));
    }

    public static Snapshot Empty { get; } = Create([]);

    public IEnumerable<string> TypeUrls => _types.Keys;

    /// <summary>The resources of a type (an empty set for a type the snapshot lacks).</summary>
    public ResourceSet Get(string typeUrl) => _types.TryGetValue(typeUrl, out var set) ? set : ResourceSet.Empty(typeUrl);

    public string Version(string typeUrl) => Get(typeUrl).Version;

    /// <summary>Builds a snapshot from typed resources: Listener, RouteConfiguration, Cluster, ClusterLoadAssignment, Secret.</summary>
    /// <exception cref="ArgumentException">A resource of another type, without a name, or a duplicate name.</exception>
    public static Snapshot Create(IEnumerable<IMessage> resources)
    {
        var byType = new Dictionary<string, List<CachedResource>>(StringComparer.Ordinal);
        foreach (var message in resources)
        {
            string name = NameOf(message);
            var cached = CachedResource.Create(name, message);
            if (!byType.TryGetValue(cached.TypeUrl, out var list))
            {
                byType[cached.TypeUrl] = list = [];
            }

            if (list.Exists(r => r.Name == name))
            {
                throw new ArgumentException($"Two {Cache.TypeUrls.ShortName(cached.TypeUrl)} resources are named '{name}'; names must be unique per type.", nameof(resources));
            }

            list.Add(cached);
        }

        return new Snapshot(byType.ToFrozenDictionary(kv => kv.Key, kv => ResourceSet.Create(kv.Key, kv.Value), StringComparer.Ordinal));
    }

    public static Snapshot Create(params IMessage[] resources) => Create((IEnumerable<IMessage>)resources);

    /// <summary>
    /// A copy where the resources of one type are replaced and every other type keeps its <see cref="ResourceSet"/>
    /// (its serialized bytes and versions): an endpoint-only change rebuilds only the ClusterLoadAssignments.
    /// </summary>
    /// <exception cref="ArgumentException">A resource not of <paramref name="typeUrl"/>, without a name, or a duplicate name.</exception>
    public Snapshot WithResources(string typeUrl, IEnumerable<IMessage> resources)
    {
        ArgumentNullException.ThrowIfNull(typeUrl);
        ArgumentNullException.ThrowIfNull(resources);
        var list = new List<CachedResource>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var message in resources)
        {
            var cached = CachedResource.Create(NameOf(message), message);
            if (cached.TypeUrl != typeUrl)
            {
                throw new ArgumentException($"A {Cache.TypeUrls.ShortName(cached.TypeUrl)} cannot replace resources of type {Cache.TypeUrls.ShortName(typeUrl)}.", nameof(resources));
            }

            if (!names.Add(cached.Name))
            {
                throw new ArgumentException($"Two {Cache.TypeUrls.ShortName(typeUrl)} resources are named '{cached.Name}'; names must be unique per type.", nameof(resources));
            }

            list.Add(cached);
        }

        var types = new Dictionary<string, ResourceSet>(_types, StringComparer.Ordinal);
        if (list.Count == 0)
        {
            types.Remove(typeUrl);
        }
        else
        {
            types[typeUrl] = ResourceSet.Create(typeUrl, list);
        }

        return new Snapshot(types.ToFrozenDictionary(StringComparer.Ordinal));
    }

    /// <summary>
    /// A copy where some resources of one type are replaced by name (or added); every other resource keeps its
    /// <see cref="CachedResource"/> (bytes and version), and every other type its <see cref="ResourceSet"/>: a
    /// VirtualService change re-serializes only the route tables it changed.
    /// </summary>
    /// <exception cref="ArgumentException">A resource not of <paramref name="typeUrl"/>, without a name, or named twice.</exception>
    public Snapshot WithReplaced(string typeUrl, IEnumerable<IMessage> replacements)
    {
        ArgumentNullException.ThrowIfNull(typeUrl);
        ArgumentNullException.ThrowIfNull(replacements);
        var byName = new Dictionary<string, CachedResource>(Get(typeUrl).Resources, StringComparer.Ordinal);
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var message in replacements)
        {
            var cached = CachedResource.Create(NameOf(message), message);
            if (cached.TypeUrl != typeUrl)
            {
                throw new ArgumentException($"A {Cache.TypeUrls.ShortName(cached.TypeUrl)} cannot replace resources of type {Cache.TypeUrls.ShortName(typeUrl)}.", nameof(replacements));
            }

            if (!names.Add(cached.Name))
            {
                throw new ArgumentException($"Two {Cache.TypeUrls.ShortName(typeUrl)} resources are named '{cached.Name}'; names must be unique per type.", nameof(replacements));
            }

            byName[cached.Name] = cached;
        }

        if (names.Count == 0)
        {
            return this;
        }

        var types = new Dictionary<string, ResourceSet>(_types, StringComparer.Ordinal) { [typeUrl] = ResourceSet.Create(typeUrl, byName.Values) };
        return new Snapshot(types.ToFrozenDictionary(StringComparer.Ordinal), ConsistencyAfterReplacing(typeUrl, names));
    }

    /// <summary>
    /// How a copy made by <see cref="WithReplaced"/> is checked. Replacing keeps every name, so when this snapshot
    /// was checked and found consistent, only what the replacements refer to can break: load assignments refer to
    /// nothing, route tables to clusters. Otherwise the copy is checked whole.
    /// </summary>
    private Func<Snapshot, IReadOnlyList<string>>? ConsistencyAfterReplacing(string typeUrl, HashSet<string> replaced)
    {
        if (!_consistency.IsValueCreated || _consistency.Value.Count > 0) return null;
        return typeUrl switch
        {
            Cache.TypeUrls.ClusterLoadAssignment => static _ => [],
            Cache.TypeUrls.RouteConfiguration => next => SnapshotConsistency.CheckRouteTables(next, replaced),
            _ => null,
        };
    }

    /// <summary>The names other resources refer to that this snapshot does not hold (empty when consistent).</summary>
    /// <remarks>Computed once per snapshot: setting one snapshot for many nodes checks it once.</remarks>
    public IReadOnlyList<string> CheckConsistency() => _consistency.Value;

    /// <summary>The types whose version differs between <paramref name="previous"/> and this snapshot.</summary>
    public IReadOnlySet<string> ChangedTypesSince(Snapshot? previous)
    {
        var changed = new HashSet<string>(StringComparer.Ordinal);
        foreach (string typeUrl in Cache.TypeUrls.ResponseOrder)
        {
            if (previous is null || previous.Version(typeUrl) != Version(typeUrl))
            {
                changed.Add(typeUrl);
            }
        }

        return changed;
    }

    internal static string NameOf(IMessage message)
    {
        string name = message switch
        {
            Listener l => l.Name,
            RouteConfiguration r => r.Name,
            Cluster c => c.Name,
            ClusterLoadAssignment a => a.ClusterName,
            Secret s => s.Name,
            _ => throw new ArgumentException(
                $"{message.Descriptor.FullName} is not an xDS resource type; use Listener, RouteConfiguration, Cluster, ClusterLoadAssignment or Secret.",
                nameof(message)),
        };
        return string.IsNullOrEmpty(name)
            ? throw new ArgumentException($"A {message.Descriptor.Name} has no name; every resource needs one.", nameof(message))
            : name;
    }
}
