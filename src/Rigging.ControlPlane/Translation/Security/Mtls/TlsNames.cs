namespace Rigging.ControlPlane.Translation.Security.Mtls;

/// <summary>The wire names Istio and Envoy use for mesh TLS (labels, metadata keys, SDS resources, sockets).</summary>
public static class TlsNames
{
    /// <summary>The label a workload with a sidecar carries (value "istio"); Istio copies it into endpoint metadata.</summary>
    public const string TlsModeLabel = "security.istio.io/tlsMode";

    /// <summary>The key inside <see cref="TransportSocketMatchFilter"/> metadata.</summary>
    public const string TlsModeKey = "tlsMode";

    public const string IstioTlsMode = "istio";

    /// <summary>Envoy's filter_metadata namespace that Cluster.transport_socket_matches reads.</summary>
    public const string TransportSocketMatchFilter = "envoy.transport_socket_match";

    /// <summary>SDS name of the workload's own certificate and key (Envoy/Istio "default").</summary>
    public const string DefaultCertificate = "default";

    /// <summary>SDS name of the mesh's root certificate.</summary>
    public const string RootCa = "ROOTCA";

    /// <summary>Prefix of SDS names for credentialName secrets; the CA bundle adds <see cref="CaSuffix"/>.</summary>
    public const string KubernetesSecretPrefix = "kubernetes://";

    public const string CaSuffix = "-cacert";

    public const string TlsSocket = "envoy.transport_sockets.tls";

    public const string RawBufferSocket = "envoy.transport_sockets.raw_buffer";

    public static string Spiffe(string trustDomain, string ns, string serviceAccount) => $"spiffe://{trustDomain}/ns/{ns}/sa/{serviceAccount}";

    public static string CredentialSecret(string credentialName) => KubernetesSecretPrefix + credentialName;

    public static string CredentialCaSecret(string credentialName) => KubernetesSecretPrefix + credentialName + CaSuffix;
}
