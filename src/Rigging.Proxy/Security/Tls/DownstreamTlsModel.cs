using System.Collections.Immutable;
using System.Net.Security;

namespace Rigging.Proxy.Security.Tls;

/// <summary>
/// A compiled DownstreamTlsContext (a filter chain's transport_socket): the server certificate(s) by source, how a
/// client certificate is validated, whether one is required, and the ALPN protocols offered.
/// </summary>
internal sealed class DownstreamTlsModel(
    ImmutableArray<SecretSource> certificates, CertificateValidationModel? validation, bool requireClientCertificate,
    List<SslApplicationProtocol> applicationProtocols)
{
    public ImmutableArray<SecretSource> Certificates { get; } = certificates;

    public CertificateValidationModel? Validation { get; } = validation;

    public bool RequireClientCertificate { get; } = requireClientCertificate;

    /// <summary>Shared by every handshake of this chain (SslStream only reads it).</summary>
    public List<SslApplicationProtocol> ApplicationProtocols { get; } = applicationProtocols;

    /// <summary>The first configured certificate that is available now (SDS secrets may still be on their way).</summary>
    public SecretModel? CurrentCertificate(SecretStore store)
    {
        foreach (var source in Certificates)
        {
            if (source.Resolve(store) is { Certificate: not null } secret) return secret;
        }
        return null;
    }
}
