namespace Rigging.ControlPlane.Translation.Security.Authorization;

/// <summary>One of MeshConfig's extensionProviders, by name; only the envoyExtAuthzHttp kind is known here.</summary>
public sealed record ExtensionProvider
{
    public required string Name { get; init; }

    public EnvoyExtAuthzHttpProvider? EnvoyExtAuthzHttp { get; init; }
}
