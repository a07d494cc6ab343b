using System.Collections.Frozen;
using System.Collections.Immutable;
using Rigging.Api.Model;

namespace Rigging.ControlPlane.Config;

/// <summary>The good resources of the store at one moment, immutable: each with the file that holds it.</summary>
public sealed class ConfigSnapshot
{
    private readonly FrozenDictionary<ResourceKey, (Resource Resource, string File)> _byKey;

    public ConfigSnapshot(IEnumerable<(Resource Resource, string File)> resources, long version)
    {
        ArgumentNullException.ThrowIfNull(resources);
        var byKey = new Dictionary<ResourceKey, (Resource, string)>();
        var ordered = ImmutableArray.CreateBuilder<Resource>();
        foreach (var (resource, file) in resources)
        {
            if (byKey.TryAdd(ResourceKey.Of(resource), (resource, file))) ordered.Add(resource);
        }
        _byKey = byKey.ToFrozenDictionary();
        Resources = ordered.ToImmutable();
        Version = version;
    }

    public static ConfigSnapshot Empty { get; } = new([], 0);

    /// <summary>Increases with every change of the good resources.</summary>
    public long Version { get; }

    public ImmutableArray<Resource> Resources { get; }

    public Resource? Find(ResourceKey key) => _byKey.TryGetValue(key, out var entry) ? entry.Resource : null;

    /// <summary>The file a resource was read from, or null when the store does not hold it.</summary>
    public string? FileOf(ResourceKey key) => _byKey.TryGetValue(key, out var entry) ? entry.File : null;
}
