using System.Collections.Immutable;

namespace Rigging.ControlPlane.Config;

/// <summary>Which resources (and so which kinds) were added, changed or removed by one reload of the store.</summary>
public sealed record ConfigChange(ImmutableHashSet<ResourceKey> Resources, ConfigSnapshot Snapshot)
{
    public ImmutableHashSet<string> Kinds { get; } = Resources.Select(r => r.Kind).ToImmutableHashSet(StringComparer.Ordinal);
}
