using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Rigging.ControlPlane.Tests.Security.GatewayTls;

/// <summary>Real PEM certificates for gateway credentials (a self-signed CA and a server certificate it signs).</summary>
internal static class TestCertificates
{
    public static (string CertPem, string KeyPem, string CaPem) ServerFor(string host)
    {
        var start = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest("CN=test-ca", caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        using var ca = caRequest.CreateSelfSigned(start, start.AddYears(10));

        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={host}", key, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        san.AddDnsName(host);
        request.CertificateExtensions.Add(san.Build());
        using var cert = request.Create(ca, start, start.AddYears(5), [1, 2, 3, 4]);
        return (cert.ExportCertificatePem(), key.ExportPkcs8PrivateKeyPem(), ca.ExportCertificatePem());
    }

    /// <summary>Writes a credential folder as Rigging reads it: secrets/NAME/{tls.crt, tls.key[, ca.crt]}.</summary>
    public static void Write(string configDirectory, string name, string host, bool withCa)
    {
        var (cert, key, ca) = ServerFor(host);
        var folder = Path.Combine(configDirectory, "secrets", name);
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "tls.crt"), cert);
        File.WriteAllText(Path.Combine(folder, "tls.key"), key);
        if (withCa) File.WriteAllText(Path.Combine(folder, "ca.crt"), ca);
    }
}
