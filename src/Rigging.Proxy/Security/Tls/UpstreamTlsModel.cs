using System.Net.Security;

namespace Rigging.Proxy.Security.Tls;

/// <summary>
/// A compiled UpstreamTlsContext (a cluster's transport_socket, or one of its transport_socket_matches): SNI, the
/// client certificate by source, how the server's chain and SAN are checked, and whether h2 may be offered.
/// Compared by <see cref="Key"/> (a digest of the config it came from), so an unchanged cluster keeps its pool.
/// </summary>
internal sealed class UpstreamTlsModel(string key, string? sni, SecretSource? certificate, CertificateValidationModel? validation, bool allowsHttp2, bool allowsHttp11)
    : IEquatable<UpstreamTlsModel>
{
    private static readonly List<SslApplicationProtocol> H2 = [SslApplicationProtocol.Http2];
    private static readonly List<SslApplicationProtocol> Http11 = [SslApplicationProtocol.Http11];

    public string Key { get; } = key;

    public string? Sni { get; } = sni;

    public SecretSource? Certificate { get; } = certificate;

    public CertificateValidationModel? Validation { get; } = validation;

    /// <summary>
    /// The ALPN list for a connection that will carry HTTP/2 or HTTP/1.1 (the cluster's protocol is fixed before
    /// the connection is made); Istio's own names (istio-peer-exchange, istio) are not offered. Null: no ALPN.
    /// </summary>
    public List<SslApplicationProtocol>? Alpn(bool http2) =>
        http2 ? (allowsHttp2 ? H2 : null) : (allowsHttp11 ? Http11 : null);

    /// <summary>
    /// True when h2 is offered by ALPN, so an HTTP/2 request over this TLS goes in an https pool and says :scheme https
    /// (the scheme of the upstream transport, as Envoy's scheme_header_transformation match_upstream sets it).
    /// </summary>
    public bool CarriesHttp2 => allowsHttp2;

    public bool Equals(UpstreamTlsModel? other) => other is not null && other.Key == Key;

    public override bool Equals(object? obj) => Equals(obj as UpstreamTlsModel);

    public override int GetHashCode() => Key.GetHashCode(StringComparison.Ordinal);
}
