namespace Rigging.ControlPlane.Translation;

/// <summary>Mesh-wide settings (Istio's MeshConfig parts we use), with Istio's defaults.</summary>
public sealed record MeshSettings
{
    /// <summary>Config here applies mesh-wide (DestinationRules, PeerAuthentication, Sidecar defaults).</summary>
    public string RootNamespace { get; init; } = "istio-system";

    /// <summary>
    /// meshConfig.outboundTrafficPolicy.mode: ALLOW_ANY (Istio's default) passes traffic to hosts outside the registry
    /// through to where the app asked; REGISTRY_ONLY answers 502 for them. A Sidecar's outboundTrafficPolicy overrides it.
    /// </summary>
    public bool AllowAny { get; init; } = true;

    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>The port a sidecar's outbound (HTTP_PROXY) listener uses when the proxy does not say.</summary>
    public int DefaultOutboundPort { get; init; } = 15001;

    /// <summary>The SPIFFE trust domain of workload identities (spiffe://TRUST_DOMAIN/ns/NS/sa/SA).</summary>
    public string TrustDomain { get; init; } = "cluster.local";

    /// <summary>Istio's enableAutoMtls: clients originate mTLS to endpoints that have a sidecar when no DestinationRule sets TLS.</summary>
    public bool EnableAutoMtls { get; init; } = true;

    /// <summary>
    /// MeshConfig extensionProviders: the external authorizers AuthorizationPolicy CUSTOM names (envoyExtAuthzHttp).
    /// Read from a mesh config file by <see cref="MeshConfigReader"/>.
    /// </summary>
    public IReadOnlyList<Security.Authorization.ExtensionProvider> ExtensionProviders { get; init; } = [];

    public static MeshSettings Default { get; } = new();
}
