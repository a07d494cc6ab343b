using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Rigging.ControlPlane.Tests.Security.Ca;

/// <summary>A temporary directory per test, and CSRs built the way a workload (or an attacker) would.</summary>
internal sealed class CaTestFiles : IDisposable
{
    public CaTestFiles()
    {
        Root = Path.Combine(Path.GetTempPath(), "rig-ca-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(Root);
        State = Path.Combine(Root, "state");
        Config = Path.Combine(Root, "config");
        Directory.CreateDirectory(Config);
    }

    public string Root { get; }

    public string State { get; }

    public string Config { get; }

    public static string Csr(ECDsa key, params string[] uris)
    {
        var request = new CertificateRequest(new X500DistinguishedName(string.Empty), key, HashAlgorithmName.SHA256);
        if (uris.Length > 0)
        {
            var san = new SubjectAlternativeNameBuilder();
            foreach (var uri in uris) san.AddUri(new Uri(uri));
            request.CertificateExtensions.Add(san.Build(critical: true));
        }
        return request.CreateSigningRequestPem();
    }

    public static X509Certificate2 Pem(string pem) => X509Certificate2.CreateFromPem(pem);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // best effort
        }
    }
}
