using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Rigging.Proxy.Security.Agent;

/// <summary>
/// The one place a certificate and its key become something SslStream can use as server and as client on every
/// platform: CopyWithPrivateKey gives an ephemeral key that some TLS backends cannot use, so the pair goes through
/// a PKCS#12 round trip once, at issuance. Secrets built here are consumed as they are.
/// </summary>
public static class UsableCertificate
{
    public static X509Certificate2 Create(X509Certificate2 certificate, ECDsa key)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        using var withKey = certificate.CopyWithPrivateKey(key);
        return RoundTrip(withKey);
    }

    public static X509Certificate2 Create(X509Certificate2 certificate, RSA key)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        using var withKey = certificate.CopyWithPrivateKey(key);
        return RoundTrip(withKey);
    }

    private static X509Certificate2 RoundTrip(X509Certificate2 withKey)
    {
        var pfx = withKey.Export(X509ContentType.Pkcs12);
        try
        {
            return X509CertificateLoader.LoadPkcs12(pfx, password: null, X509KeyStorageFlags.Exportable);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(pfx);
        }
    }
}
