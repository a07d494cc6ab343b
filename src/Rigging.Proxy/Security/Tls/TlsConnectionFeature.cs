using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Server.Kestrel.Core.Features;
using Microsoft.AspNetCore.Http.Features;

namespace Rigging.Proxy.Security.Tls;

/// <summary>
/// What a terminated downstream TLS connection knows: the certificate we presented (XFCC's By), the verified peer
/// certificate and chain, and the negotiated ALPN. Also Kestrel's TLS features, so the request scheme is https and
/// HttpContext.Connection.ClientCertificate is the peer's.
/// </summary>
internal sealed class TlsConnectionFeature(X509Certificate2 local, X509Certificate2? peer, X509Certificate2Collection peerChain, ReadOnlyMemory<byte> alpn)
    : ITlsConnectionFeature, ITlsApplicationProtocolFeature
{
    public X509Certificate2 LocalCertificate { get; } = local;

    public X509Certificate2Collection PeerChain { get; } = peerChain;

    public X509Certificate2? ClientCertificate { get; set; } = peer;

    public ReadOnlyMemory<byte> ApplicationProtocol { get; set; } = alpn;

    private (ClientCertDetails Details, string Value)? _forwarded;

    /// <summary>This connection's x-forwarded-client-cert element, built on first use (the certificates never change).</summary>
    public string ForwardedElement(ClientCertDetails details)
    {
        if (_forwarded is { } cached && cached.Details == details) return cached.Value;
        var value = Tls.ForwardedElement.Build(LocalCertificate, ClientCertificate!, PeerChain, details);
        _forwarded = (details, value);
        return value;
    }

    public Task<X509Certificate2?> GetClientCertificateAsync(CancellationToken cancellationToken) => Task.FromResult(ClientCertificate);
}
