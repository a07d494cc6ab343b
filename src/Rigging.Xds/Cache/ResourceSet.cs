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
    }

    public string TypeUrl { get; }

    public FrozenDictionary<string, CachedResource> Resources { get; }

    public string Version { get; }

    /// <summary>Every resource in name order (the order responses list them), sorted once for all streams.</summary>
    public IReadOnlyList<CachedResource> Sorted { get; }

    public static ResourceSet Empty(string typeUrl) => Create(typeUrl, []);

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

    private static readonly Comparison<CachedResource> ByName = static (a, b) => string.CompareOrdinal(a.Name, b.Name);
}
