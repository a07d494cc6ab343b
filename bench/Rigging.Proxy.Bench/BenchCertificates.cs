using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Rigging.Proxy.Bench;

/// <summary>
/// The bench's own mesh CA and workload certificates, shaped as the mesh's (P-256, SPIFFE URI SAN, client and
/// server auth): the client hop's identity, the server hop's, and an intruder the CA also signed (its requests
/// must be refused by the AuthorizationPolicy, proving the policy runs). PEM text, for SDS secrets and nginx.
/// </summary>
internal sealed class BenchCertificates
{
    public const string TrustDomain = "cluster.local";
    public const string Namespace = "bench";

    /// <summary>The server's DNS name: nginx verifies host names, not URI SANs, so its certificate carries both.</summary>
    public const string ServerDnsName = "server.bench.svc.cluster.local";

    private BenchCertificates(string rootPem, WorkloadCertificate client, WorkloadCertificate server, WorkloadCertificate intruder)
    {
        RootPem = rootPem;
        Client = client;
        Server = server;
        Intruder = intruder;
    }

    public string RootPem { get; }

    public WorkloadCertificate Client { get; }

    public WorkloadCertificate Server { get; }

    public WorkloadCertificate Intruder { get; }

    public static string Spiffe(string serviceAccount) => $"spiffe://{TrustDomain}/ns/{Namespace}/sa/{serviceAccount}";

    public static BenchCertificates Create(TimeProvider time)
    {
        var now = time.GetUtcNow();
        using var rootKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("O=rig bench, CN=rig bench root", rootKey, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        using var root = request.CreateSelfSigned(now.AddMinutes(-5), now.AddDays(1));
        return new BenchCertificates(
            root.ExportCertificatePem(),
            Issue(root, now, "client", dnsName: null),
            Issue(root, now, "server", ServerDnsName),
            Issue(root, now, "intruder", dnsName: null));
    }

    /// <summary>Writes the root and the two hops' certificates and keys as PEM files (for nginx) into a new temporary directory.</summary>
    public PemFiles WriteFiles()
    {
        var directory = Directory.CreateTempSubdirectory("rig-bench-pem-").FullName;
        string Write(string name, string pem)
        {
            var path = Path.Combine(directory, name);
            File.WriteAllText(path, pem);
            if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            return path;
        }
        return new PemFiles(
            directory,
            Write("root.pem", RootPem),
            Write("client.pem", Client.CertificatePem),
            Write("client.key", Client.KeyPem),
            Write("server.pem", Server.CertificatePem),
            Write("server.key", Server.KeyPem));
    }

    private static WorkloadCertificate Issue(X509Certificate2 root, DateTimeOffset now, string serviceAccount, string? dnsName)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("O=rig bench", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddUri(new Uri(Spiffe(serviceAccount)));
        if (dnsName is not null) names.AddDnsName(dnsName);
        request.CertificateExtensions.Add(names.Build(critical: true));
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1"), new Oid("1.3.6.1.5.5.7.3.2")], false));
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7f;
        using var leaf = request.Create(root, now.AddMinutes(-5), now.AddHours(12), serial);
        return new WorkloadCertificate(Spiffe(serviceAccount), leaf.ExportCertificatePem(), key.ExportPkcs8PrivateKeyPem());
    }
}

/// <summary>One workload's identity: its SPIFFE id, certificate and PKCS#8 key (PEM).</summary>
internal sealed record WorkloadCertificate(string Spiffe, string CertificatePem, string KeyPem)
{
    /// <summary>The certificate with its key, usable as an SslStream client certificate on Linux.</summary>
    public X509Certificate2 ToX509()
    {
        using var ephemeral = X509Certificate2.CreateFromPem(CertificatePem, KeyPem);
        return X509CertificateLoader.LoadPkcs12(ephemeral.Export(X509ContentType.Pkcs12), null);
    }
}

/// <summary>Where <see cref="BenchCertificates.WriteFiles"/> put the PEM files; deleting it removes them.</summary>
internal sealed record PemFiles(string Directory, string Root, string ClientCertificate, string ClientKey, string ServerCertificate, string ServerKey) : IDisposable
{
    public void Dispose() => System.IO.Directory.Delete(Directory, recursive: true);
}
