using System.Security.Cryptography.X509Certificates;

namespace Rigging.Proxy.Security;

/// <summary>
/// One named secret as Envoy's SDS knows it (<c>default</c>: the workload's certificate and key; <c>ROOTCA</c>:
/// the roots it trusts; gateway credentials by name). Immutable: a rotation is a new instance.
/// </summary>
/// <param name="Certificate">The leaf with its private key, when this secret is an identity.</param>
/// <param name="Chain">Intermediates sent after the leaf (may be empty).</param>
/// <param name="TrustedCas">The roots a peer's chain must end at, when this secret is a validation context.</param>
public sealed record SecretModel(X509Certificate2? Certificate, X509Certificate2Collection Chain, X509Certificate2Collection TrustedCas)
{
    public static SecretModel Identity(X509Certificate2 certificate, X509Certificate2Collection? chain = null) =>
        new(certificate, chain ?? [], []);

    public static SecretModel Trust(X509Certificate2Collection roots) => new(null, [], roots);
}
