using Envoy.Config.Core.V3;
using Envoy.Extensions.TransportSockets.RawBuffer.V3;
using Envoy.Extensions.TransportSockets.Tls.V3;
using Envoy.Type.Matcher.V3;
using Google.Protobuf.WellKnownTypes;

namespace Rigging.ControlPlane.Translation.Security.Mtls;

/// <summary>
/// Envoy TLS contexts as Istio builds them: the workload certificate ("default") and mesh root ("ROOTCA") over
/// SDS on the ADS stream, expected peer identities as typed URI SAN matchers, Istio's ALPN lists.
/// </summary>
internal static class TlsContexts
{
    /// <summary>Client side of mesh mTLS (util.ALPNInMeshWithMxc / ALPNInMeshH2WithMxc).</summary>
    public static readonly string[] InMeshAlpn = ["istio-peer-exchange", "istio"];

    public static readonly string[] InMeshH2Alpn = ["istio-peer-exchange", "istio", "h2"];

    /// <summary>Server side for HTTP (util.ALPNHttp): "istio" must not be offered, it would hide h2.</summary>
    public static readonly string[] HttpAlpn = ["h2", "http/1.1"];

    /// <summary>Server side for TCP (util.ALPNDownstreamWithMxc).</summary>
    public static readonly string[] TcpAlpn = ["istio-peer-exchange", "h2", "http/1.1"];

    public static SdsSecretConfig Sds(string name) => new()
    {
        Name = name,
        SdsConfig = new ConfigSource { Ads = new AggregatedConfigSource() },
    };

    /// <summary>ISTIO_MUTUAL towards a mesh endpoint: SNI, identities the server may have, ALPN by protocol.</summary>
    public static UpstreamTlsContext IstioMutualUpstream(string sni, IEnumerable<string> subjectAltNames, bool http2)
    {
        var common = new CommonTlsContext
        {
            TlsCertificateSdsSecretConfigs = { Sds(TlsNames.DefaultCertificate) },
            CombinedValidationContext = new CommonTlsContext.Types.CombinedCertificateValidationContext
            {
                DefaultValidationContext = Validation(subjectAltNames, SubjectAltNameMatcher.Types.SanType.Uri),
                ValidationContextSdsSecretConfig = Sds(TlsNames.RootCa),
            },
        };
        common.AlpnProtocols.AddRange(http2 ? InMeshH2Alpn : InMeshAlpn);
        return new UpstreamTlsContext { CommonTlsContext = common, Sni = sni };
    }

    /// <summary>The server side of mesh mTLS on a sidecar's inbound port: a client certificate from the mesh CA is required.</summary>
    public static DownstreamTlsContext IstioMutualDownstream(bool http)
    {
        var common = new CommonTlsContext
        {
            TlsCertificateSdsSecretConfigs = { Sds(TlsNames.DefaultCertificate) },
            CombinedValidationContext = new CommonTlsContext.Types.CombinedCertificateValidationContext
            {
                DefaultValidationContext = new CertificateValidationContext(),
                ValidationContextSdsSecretConfig = Sds(TlsNames.RootCa),
            },
        };
        common.AlpnProtocols.AddRange(http ? HttpAlpn : TcpAlpn);
        return new DownstreamTlsContext { CommonTlsContext = common, RequireClientCertificate = true };
    }

    /// <summary>SAN matchers (exact): URI for SPIFFE identities; a user's subjectAltNames as given (URI when spiffe://, else DNS).</summary>
    public static CertificateValidationContext Validation(IEnumerable<string> names, SubjectAltNameMatcher.Types.SanType? type = null)
    {
        var context = new CertificateValidationContext();
        foreach (var name in names)
        {
            var sanType = type ?? (name.StartsWith("spiffe://", StringComparison.Ordinal) ? SubjectAltNameMatcher.Types.SanType.Uri : SubjectAltNameMatcher.Types.SanType.Dns);
            context.MatchTypedSubjectAltNames.Add(new SubjectAltNameMatcher { SanType = sanType, Matcher = new StringMatcher { Exact = name } });
        }
        return context;
    }

    public static TransportSocket Socket(UpstreamTlsContext context) => new() { Name = TlsNames.TlsSocket, TypedConfig = Any.Pack(context) };

    public static TransportSocket Socket(DownstreamTlsContext context) => new() { Name = TlsNames.TlsSocket, TypedConfig = Any.Pack(context) };

    public static TransportSocket RawBuffer() => new() { Name = TlsNames.RawBufferSocket, TypedConfig = Any.Pack(new RawBuffer()) };

    public static DataSource File(string path) => new() { Filename = path };
}
