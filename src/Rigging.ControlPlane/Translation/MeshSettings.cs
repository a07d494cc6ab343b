namespace Rigging.ControlPlane.Translation;

/// <summary>Mesh-wide settings (Istio's MeshConfig parts we use), with Istio's defaults.</summary>
public sealed record MeshSettings
{
    /// <summary>Config here applies mesh-wide (DestinationRules, PeerAuthentication, Sidecar defaults).</summary>
    public string RootNamespace { get; init; } = "istio-system";

    /// <summary>ALLOW_ANY lets apps reach hosts outside the registry; REGISTRY_ONLY answers 502 for them.</summary>
    public bool AllowAny { get; init; } = true;

    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>The port a sidecar's outbound (HTTP_PROXY) listener uses when the proxy does not say.</summary>
    public int DefaultOutboundPort { get; init; } = 15001;

    public static MeshSettings Default { get; } = new();
}
