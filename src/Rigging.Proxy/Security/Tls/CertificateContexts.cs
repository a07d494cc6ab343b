using System.Net.Security;
using System.Runtime.CompilerServices;

namespace Rigging.Proxy.Security.Tls;

/// <summary>
/// One SslStreamCertificateContext per secret instance (a secret is immutable; a rotation is a new instance, so a
/// new context), built on first use instead of per handshake.
/// </summary>
internal static class CertificateContexts
{
    private static readonly ConditionalWeakTable<SecretModel, SslStreamCertificateContext> Contexts = [];

    public static SslStreamCertificateContext For(SecretModel secret) =>
        Contexts.GetValue(secret, static s => SslStreamCertificateContext.Create(
            s.Certificate ?? throw new InvalidOperationException("secret holds no certificate"), s.Chain, offline: true));
}
