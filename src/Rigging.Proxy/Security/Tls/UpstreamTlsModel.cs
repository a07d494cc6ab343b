using System.Net.Security;

namespace Rigging.Proxy.Security.Tls;

/// <summary>
/// A compiled UpstreamTlsContext (a cluster's transport_socket, or one of its transport_socket_matches): SNI, the
/// client certificate by source, how the server's chain and SAN are checked, and whether h2 may be offered.
/// Compared by <see cref="Key"/> (a digest of the config it came from), so an unchanged cluster keeps its pool.
/// </summary>
/// <param name="inMesh">The context is the mesh's mTLS (its ALPN lists "istio"): connections then say what they carry
/// in Istio's ALPN names, as Istio's sidecars do, so a PERMISSIVE server tells them from other TLS.</param>
internal sealed class UpstreamTlsModel(string key, string? sni, SecretSource? certificate, CertificateValidationModel? validation, bool allowsHttp2, bool allowsHttp11,
    bool inMesh = false)
    : IEquatable<UpstreamTlsModel>
{
    private static readonly List<SslApplicationProtocol> H2 = [SslApplicationProtocol.Http2];
    private static readonly List<SslApplicationProtocol> Http11 = [SslApplicationProtocol.Http11];

    // Istio's istio.alpn overrides: the mesh name of the protocol, "istio", then the protocol itself (what is negotiated).
    private static readonly List<SslApplicationProtocol> MeshH2 = [new("istio-h2"), new("istio"), SslApplicationProtocol.Http2];
    private static readonly List<SslApplicationProtocol> MeshHttp11 = [new("istio-http/1.1"), new("istio"), SslApplicationProtocol.Http11];
    private static readonly List<SslApplicationProtocol> MeshTcp = [new("istio")];

    public string Key { get; } = key;

    public string? Sni { get; } = sni;

    public SecretSource? Certificate { get; } = certificate;

    public CertificateValidationModel? Validation { get; } = validation;

    /// <summary>
    /// The ALPN list for a connection that will carry HTTP/2 or HTTP/1.1 (chosen before the connection is made):
    /// in the mesh Istio's names first (istio-h2 or istio-http/1.1, istio), then h2 or http/1.1; elsewhere only the
    /// protocol. Null: no ALPN.
    /// </summary>
    public List<SslApplicationProtocol>? Alpn(bool http2) =>
        http2 ? (allowsHttp2 ? (inMesh ? MeshH2 : H2) : null) : (allowsHttp11 ? (inMesh ? MeshHttp11 : Http11) : null);

    /// <summary>
    /// The ALPN list for a tcp_proxy connection: "istio" in the mesh (the bytes inside are the client's, so no
    /// application protocol is claimed; istio-peer-exchange is not offered, we do not speak it), none elsewhere.
    /// </summary>
    public List<SslApplicationProtocol>? TcpAlpn => inMesh ? MeshTcp : null;

    /// <summary>
    /// True when h2 is offered by ALPN, so an HTTP/2 request over this TLS goes in an https pool and says :scheme https
    /// (the scheme of the upstream transport, as Envoy's scheme_header_transformation match_upstream sets it).
    /// </summary>
    public bool CarriesHttp2 => allowsHttp2;

    public bool Equals(UpstreamTlsModel? other) => other is not null && other.Key == Key;

    public override bool Equals(object? obj) => Equals(obj as UpstreamTlsModel);

    public override int GetHashCode() => Key.GetHashCode(StringComparison.Ordinal);
}
