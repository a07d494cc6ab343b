using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Rigging.Proxy.Security;

namespace Rigging.Proxy.Tests.Security.Tls;

/// <summary>
/// A small certificate authority for tests, built with the BCL's CertificateRequest: a self-signed P-256 root and
/// X.509-SVID leaves (one SPIFFE URI SAN, CA=false, digitalSignature, serverAuth+clientAuth). Lifetimes are relative
/// to the given clock, so an expired certificate is one whose window ended before "now".
/// </summary>
internal sealed class TestCa : IDisposable
{
    private readonly ECDsa _key;
    private long _serial;

    private TestCa(string name, TimeProvider time)
    {
        Time = time;
        _key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}, O=Rigging Test", _key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        var now = time.GetUtcNow();
        Root = request.CreateSelfSigned(now.AddDays(-1), now.AddYears(10));
    }

    public TimeProvider Time { get; }

    public X509Certificate2 Root { get; }

    public string RootPem => Root.ExportCertificatePem();

    /// <summary>The trust bundle as the agent sets it (ROOTCA).</summary>
    public SecretModel Trust => SecretModel.Trust([Root]);

    public static TestCa Create(string name, TimeProvider? time = null) => new(name, time ?? TimeProvider.System);

    /// <summary>An SVID for <paramref name="spiffeId"/>, valid from <paramref name="from"/> to <paramref name="until"/> relative to now (default: -1 h .. +1 day).</summary>
    public X509Certificate2 Issue(string spiffeId, TimeSpan? from = null, TimeSpan? until = null, string? dnsName = null)
    {
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"O=Rigging Test", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1"), new Oid("1.3.6.1.5.5.7.3.2")], false));
        var san = new SubjectAlternativeNameBuilder();
        san.AddUri(new Uri(spiffeId));
        if (dnsName is not null) san.AddDnsName(dnsName);
        request.CertificateExtensions.Add(san.Build(true));
        var now = Time.GetUtcNow();
        var serial = BitConverter.GetBytes(Interlocked.Increment(ref _serial) + 1000);
        using var issued = request.Create(Root, now + (from ?? TimeSpan.FromHours(-1)), now + (until ?? TimeSpan.FromDays(1)), serial);
        return issued.CopyWithPrivateKey(key);
    }

    /// <summary>The workload identity secret as the agent sets it (default).</summary>
    public SecretModel Identity(string spiffeId, TimeSpan? from = null, TimeSpan? until = null) => SecretModel.Identity(Issue(spiffeId, from, until));

    public static (string Certificate, string Key) Pem(X509Certificate2 certificate) =>
        (certificate.ExportCertificatePem(), certificate.GetECDsaPrivateKey()!.ExportPkcs8PrivateKeyPem());

    public void Dispose()
    {
        Root.Dispose();
        _key.Dispose();
    }
}
