using Envoy.Config.Cluster.V3;
using Envoy.Extensions.TransportSockets.Tls.V3;
using Google.Protobuf.WellKnownTypes;
using Rigging.Api.Networking;
using Rigging.ControlPlane.Model;

namespace Rigging.ControlPlane.Translation.Security.Mtls;

/// <summary>
/// A cluster's upstream TLS, as Istio's cluster builder decides it:
/// - DestinationRule tls (rule, port, subset levels already merged): DISABLE → plaintext; ISTIO_MUTUAL → always
///   mesh mTLS (SNI = Istio's outbound_.PORT_.SUBSET_.HOST unless set; SANs = the service's SPIFFE identities unless set); SIMPLE /
///   MUTUAL → TLS with the user's CA (file or credentialName "-cacert" over SDS), SNI, SANs and client certificate;
/// - no tls and auto mTLS on (not for MESH_EXTERNAL): transport_socket_matches — endpoints labelled tlsMode=istio
///   (those with a sidecar, see <see cref="EndpointMetadata"/>) get ISTIO_MUTUAL, the rest plaintext.
/// </summary>
internal static class UpstreamTls
{
    public static void Apply(Cluster cluster, ClientTlsSettings? tls, ServiceModel service, ServicePort port, ProxyView proxy, PushContext push)
    {
        // A sniffed port carries h2 when its client does (the cluster uses the downstream protocol), so h2 is offered too.
        var http2 = port.Protocol is Protocol.Http2 or Protocol.Grpc or Protocol.Auto;
        if (tls is null)
        {
            if (!push.Mesh.EnableAutoMtls || service.External || !HasCertificate(proxy)) return;
            cluster.TransportSocketMatches.Add(new Cluster.Types.TransportSocketMatch
            {
                Name = "tlsMode-" + TlsNames.IstioTlsMode,
                Match = new Struct { Fields = { [TlsNames.TlsModeKey] = Value.ForString(TlsNames.IstioTlsMode) } },
                TransportSocket = TlsContexts.Socket(TlsContexts.IstioMutualUpstream(Sni(cluster.Name), ServiceIdentities(service, push), http2)),
            });
            cluster.TransportSocketMatches.Add(new Cluster.Types.TransportSocketMatch
            {
                Name = "tlsMode-disabled",
                Match = new Struct(),
                TransportSocket = TlsContexts.RawBuffer(),
            });
            return;
        }
        switch (tls.Mode)
        {
            case null or ClientTlsMode.DISABLE: // Istio's mode defaults to DISABLE when a tls block omits it
                return;
            case ClientTlsMode.ISTIO_MUTUAL:
                var sans = tls.SubjectAltNames is { Count: > 0 } given ? given : ServiceIdentities(service, push);
                cluster.TransportSocket = TlsContexts.Socket(TlsContexts.IstioMutualUpstream(NonEmpty(tls.Sni) ?? Sni(cluster.Name), sans, http2));
                return;
            default:
                cluster.TransportSocket = TlsContexts.Socket(UserTls(tls, tls.Mode == ClientTlsMode.MUTUAL, http2, service.Hostname));
                return;
        }
    }

    /// <summary>
    /// Auto mTLS needs a client certificate: a proxy that runs without a CA announces tlsMode "disabled" (its
    /// label, as Istio's injector sets it) and sends plaintext, which its peers accept unless they are STRICT.
    /// </summary>
    private static bool HasCertificate(ProxyView proxy) =>
        !proxy.Labels.TryGetValue(TlsNames.TlsModeLabel, out var mode) || mode == TlsNames.IstioTlsMode;

    /// <summary>
    /// Where a proxy finds the operating system's CA bundle (Debian/Ubuntu/Alpine path). Istio names it with the SDS
    /// resource "file-root:system" that its agent resolves; our proxy reads DataSource files itself.
    /// </summary>
    public const string SystemCaBundle = "/etc/ssl/certs/ca-certificates.crt";

    /// <summary>
    /// SIMPLE or MUTUAL with the user's own certificates (files on the proxy's machine) or a credentialName. Without
    /// caCertificates the server is still verified, against the system's CA bundle (Istio's VERIFY_CERTIFICATE_AT_CLIENT,
    /// on by default since 1.20), unless insecureSkipVerify; SNI is the rule's sni, else the service's host.
    /// </summary>
    private static UpstreamTlsContext UserTls(ClientTlsSettings tls, bool mutual, bool http2, string host)
    {
        var common = new CommonTlsContext();
        var sans = tls.SubjectAltNames ?? [];
        if (tls.CredentialName is { Length: > 0 } credential)
        {
            if (mutual) common.TlsCertificateSdsSecretConfigs.Add(TlsContexts.Sds(TlsNames.CredentialSecret(credential)));
            if (tls.InsecureSkipVerify is not true)
            {
                common.CombinedValidationContext = new CommonTlsContext.Types.CombinedCertificateValidationContext
                {
                    DefaultValidationContext = TlsContexts.Validation(sans),
                    ValidationContextSdsSecretConfig = TlsContexts.Sds(TlsNames.CredentialCaSecret(credential)),
                };
            }
        }
        else
        {
            if (mutual && tls.ClientCertificate is { Length: > 0 } cert && tls.PrivateKey is { Length: > 0 } key)
            {
                common.TlsCertificates.Add(new TlsCertificate { CertificateChain = TlsContexts.File(cert), PrivateKey = TlsContexts.File(key) });
            }
            if (tls.InsecureSkipVerify is not true)
            {
                var validation = TlsContexts.Validation(sans);
                validation.TrustedCa = TlsContexts.File(tls.CaCertificates is { Length: > 0 } ca ? ca : SystemCaBundle);
                common.ValidationContext = validation;
            }
        }
        if (http2) common.AlpnProtocols.Add("h2");
        return new UpstreamTlsContext { CommonTlsContext = common, Sni = NonEmpty(tls.Sni) ?? host };
    }

    /// <summary>The SPIFFE identities of the service's instances (Istio's service accounts), sorted and distinct.</summary>
    public static IReadOnlyList<string> ServiceIdentities(ServiceModel service, PushContext push)
    {
        var identities = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var instance in push.InstancesOf(service))
        {
            identities.Add(TlsNames.Spiffe(push.Mesh.TrustDomain, instance.Namespace, instance.ServiceAccount));
        }
        return [.. identities];
    }

    /// <summary>Istio's mesh SNI, the DNS SRV form of the cluster name: outbound_.9080_.v1_.reviews.default.svc.cluster.local.</summary>
    public static string Sni(string clusterName) =>
        ClusterNames.TryParseOutbound(clusterName, out var host, out var port, out var subset)
            ? $"outbound_.{port.ToString(System.Globalization.CultureInfo.InvariantCulture)}_.{subset}_.{host}"
            : clusterName;

    private static string? NonEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
