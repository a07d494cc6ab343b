using System.Collections.Concurrent;
using System.Collections.Frozen;
using System.Text;

namespace Rigging.Xds.Cache;

/// <summary>The resources of one type in a snapshot, by name, with a version that hashes all of them.</summary>
public sealed class ResourceSet
{
    private ResourceSet(string typeUrl, FrozenDictionary<string, CachedResource> resources, CachedResource[] sorted)
    {
        TypeUrl = typeUrl;
        Resources = resources;
        Sorted = sorted;
        Version = VersionOfSorted(sorted);
        Response = new PreparedResponse(typeUrl, sorted, Version);
    }

    public string TypeUrl { get; }

    public FrozenDictionary<string, CachedResource> Resources { get; }

    public string Version { get; }

    /// <summary>Every resource in name order (the order responses list them), sorted once for all streams.</summary>
    public IReadOnlyList<CachedResource> Sorted { get; }

    /// <summary>The response for a stream that wants every resource (wildcard), shared by all such streams.</summary>
    public PreparedResponse Response { get; }

    /// <summary>A set without resources; one per known type, so a stream's selection of it is remembered.</summary>
    public static ResourceSet Empty(string typeUrl) =>
        TypeUrls.IsKnown(typeUrl) ? Empties.GetOrAdd(typeUrl, static t => Create(t, [])) : Create(typeUrl, []);

    /// <summary>
    /// The response for a subset (in name order), shared by every stream that selects the same subset of this set:
    /// the streams of nodes that share a snapshot subscribe to the same names. Keyed by the subset's version, a
    /// hash of its names and resource versions; a set that somehow meets many subsets stops remembering them.
    /// </summary>
    internal PreparedResponse Subset(IReadOnlyList<CachedResource> sorted)
    {
        string version = VersionOfSorted(sorted);
        if (_subsets.TryGetValue(version, out var known))
        {
            return known;
        }

        var response = new PreparedResponse(TypeUrl, sorted, version);
        return _subsets.Count < MaxRememberedSubsets ? _subsets.GetOrAdd(version, response) : response;
    }

    internal static ResourceSet Create(string typeUrl, IEnumerable<CachedResource> resources)
    {
        var map = resources.ToFrozenDictionary(r => r.Name, StringComparer.Ordinal);
        var sorted = map.Values.ToArray();
        Array.Sort(sorted, ByName);
        return new ResourceSet(typeUrl, map, sorted);
    }

    /// <summary>A version for any subset: a hash of the sorted names and versions.</summary>
    internal static string VersionOf(IEnumerable<CachedResource> resources)
    {
        var sorted = resources.ToArray();
        Array.Sort(sorted, ByName);
        return VersionOfSorted(sorted);
    }

    /// <summary>A version for resources already in name order.</summary>
    internal static string VersionOfSorted(IReadOnlyList<CachedResource> sorted)
    {
        var sb = new StringBuilder();
        foreach (var r in sorted)
        {
            sb.Append(r.Name).Append('\0').Append(r.Version).Append('\n');
        }

        return CachedResource.Hash(Encoding.UTF8.GetBytes(sb.ToString()));
    }

    private const int MaxRememberedSubsets = 256;

    private static readonly ConcurrentDictionary<string, ResourceSet> Empties = new(StringComparer.Ordinal);

    private readonly ConcurrentDictionary<string, PreparedResponse> _subsets = new(StringComparer.Ordinal);

    private static readonly Comparison<CachedResource> ByName = static (a, b) => string.CompareOrdinal(a.Name, b.Name);
}
