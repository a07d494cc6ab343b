using System.Collections.Frozen;
using System.Text;

namespace Rigging.Xds.Cache;

/// <summary>The resources of one type in a snapshot, by name, with a version that hashes all of them.</summary>
public sealed class ResourceSet
{
    private ResourceSet(string typeUrl, FrozenDictionary<string, CachedResource> resources, string version)
    {
        TypeUrl = typeUrl;
        Resources = resources;
        Version = version;
    }

    public string TypeUrl { get; }

    public FrozenDictionary<string, CachedResource> Resources { get; }

    public string Version { get; }

    public static ResourceSet Empty(string typeUrl) => Create(typeUrl, []);

    internal static ResourceSet Create(string typeUrl, IEnumerable<CachedResource> resources)
    {
        var map = resources.ToFrozenDictionary(r => r.Name, StringComparer.Ordinal);
        return new ResourceSet(typeUrl, map, VersionOf(map.Values));
    }

    /// <summary>A version for any subset: a hash of the sorted names and versions.</summary>
    internal static string VersionOf(IEnumerable<CachedResource> resources)
    {
        var sb = new StringBuilder();
        foreach (var r in resources.OrderBy(r => r.Name, StringComparer.Ordinal))
        {
            sb.Append(r.Name).Append('\0').Append(r.Version).Append('\n');
        }

        return CachedResource.Hash(Encoding.UTF8.GetBytes(sb.ToString()));
    }
}
