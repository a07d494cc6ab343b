using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace Rigging.Proxy.Security.Agent;

/// <summary>
/// Trust in the mesh's root (the control plane's root-cert.pem) instead of the system's: reading the file, and
/// the server-certificate check for the CA and the xDS TLS connections (chain to these roots, name must match).
/// </summary>
public static class RootTrust
{
    /// <summary>Every certificate in a PEM file, or an error naming the file.</summary>
    public static X509Certificate2Collection Load(string path)
    {
        var roots = new X509Certificate2Collection();
        try
        {
            roots.ImportFromPemFile(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException)
        {
            throw new InvalidOperationException($"--ca-root-file {path}: cannot read the root certificate: {e.Message}", e);
        }

        return roots.Count > 0 ? roots : throw new InvalidOperationException($"--ca-root-file {path}: no PEM certificate in the file");
    }

    /// <summary>A callback that accepts a server whose chain ends at one of <paramref name="roots"/> (read per handshake).</summary>
    public static RemoteCertificateValidationCallback Validator(Func<X509Certificate2Collection> roots) =>
        (_, certificate, presented, errors) =>
        {
            // The host name must match; only the chain is judged here, against our roots rather than the system's.
            if (certificate is null || (errors & ~SslPolicyErrors.RemoteCertificateChainErrors) != SslPolicyErrors.None) return false;
            var leaf = certificate as X509Certificate2 ?? X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
            using var chain = new X509Chain();
            chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            chain.ChainPolicy.CustomTrustStore.AddRange(roots());
            chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
            if (presented is not null)
            {
                foreach (var element in presented.ChainElements) chain.ChainPolicy.ExtraStore.Add(element.Certificate);
            }
            return chain.Build(leaf);
        };
}
