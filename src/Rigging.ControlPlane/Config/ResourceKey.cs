using Rigging.Api.Model;

namespace Rigging.ControlPlane.Config;

/// <summary>Identifies a resource in the store: kind, namespace ("" for cluster-scoped kinds) and name.</summary>
public readonly record struct ResourceKey(string Kind, string Namespace, string Name)
{
    public static ResourceKey Of(Resource resource)
    {
        ArgumentNullException.ThrowIfNull(resource);
        return new ResourceKey(resource.Kind.Kind, resource.Namespace, resource.Name);
    }

    public override string ToString() => Namespace.Length == 0 ? $"{Kind} {Name}" : $"{Kind} {Namespace}/{Name}";
}
