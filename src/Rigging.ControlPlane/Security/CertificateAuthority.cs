using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Rigging.ControlPlane.Security;

/// <summary>
/// Istio's Citadel role: holds the signing certificate and key (a self-signed root created on first start in the
/// state directory, or the user's plug-in CA in Istio's cacerts layout) and signs workload SVIDs from CSRs.
/// The root is always written to <c>&lt;state&gt;/root-cert.pem</c> for proxies to trust.
/// </summary>
public sealed partial class CertificateAuthority : IDisposable
{
    public const string RootCertFileName = "root-cert.pem";
    internal const string RootKeyFileName = "root-key.pem";

    private readonly CertificateAuthorityOptions _options;
    private readonly X509Certificate2 _signer;
    private readonly X509SignatureGenerator _generator;

    private CertificateAuthority(CertificateAuthorityOptions options, X509Certificate2 signer, X509Certificate2Collection intermediates, X509Certificate2 root)
    {
        _options = options;
        _signer = signer;
        Intermediates = intermediates;
        Root = root;
        _generator = signer.GetECDsaPrivateKey() is { } ec
            ? X509SignatureGenerator.CreateForECDsa(ec)
            : X509SignatureGenerator.CreateForRSA(signer.GetRSAPrivateKey() ?? throw new CryptographicException("The CA key is neither ECDSA nor RSA."), RSASignaturePadding.Pkcs1);
        RootPem = root.ExportCertificatePem();
        RootCertificatePath = Path.Combine(options.StateDirectory, RootCertFileName);
    }

    public string TrustDomain => _options.TrustDomain;

    /// <summary>The trust anchor every issued chain ends at.</summary>
    public X509Certificate2 Root { get; }

    public string RootPem { get; }

    /// <summary>Where proxies read the root from (<c>--ca-root-file</c>).</summary>
    public string RootCertificatePath { get; }

    /// <summary>Certificates between a leaf and the root (the signing certificate first); empty for a self-signed root.</summary>
    public X509Certificate2Collection Intermediates { get; }

    /// <summary>True when signing with the user's cacerts rather than a root of our own.</summary>
    public bool IsPlugIn => _options.CaCertsDirectory is not null;

    public static CertificateAuthority Load(CertificateAuthorityOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        StateFiles.EnsureDirectory(options.StateDirectory);
        var ca = options.CaCertsDirectory is { } dir ? LoadPlugIn(options, dir) : LoadOrCreateRoot(options);
        StateFiles.WritePublic(ca.RootCertificatePath, ca.RootPem);
        return ca;
    }

    private static CertificateAuthority LoadOrCreateRoot(CertificateAuthorityOptions options)
    {
        var certPath = Path.Combine(options.StateDirectory, RootCertFileName);
        var keyPath = Path.Combine(options.StateDirectory, RootKeyFileName);
        if (File.Exists(keyPath) && File.Exists(certPath))
        {
            var existing = Usable(X509Certificate2.CreateFromPemFile(certPath, keyPath));
            return new CertificateAuthority(options, existing, [], existing);
        }

        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"O={options.TrustDomain}, CN=Rigging root CA", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(certificateAuthority: true, hasPathLengthConstraint: false, pathLengthConstraint: 0, critical: true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, critical: true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, critical: false));
        var now = options.TimeProvider.GetUtcNow();
        using var created = request.CreateSelfSigned(now - options.Backdate, now + options.RootLifetime);
        StateFiles.WriteSecret(keyPath, key.ExportPkcs8PrivateKeyPem());
        StateFiles.WritePublic(certPath, created.ExportCertificatePem());
        var root = Usable(created);
        return new CertificateAuthority(options, root, [], root);
    }

    private static CertificateAuthority LoadPlugIn(CertificateAuthorityOptions options, string dir)
    {
        string File(string name)
        {
            var path = Path.Combine(dir, name);
            return System.IO.File.Exists(path) ? path : throw new InvalidOperationException($"--cacerts {dir}: {name} is missing (Istio's cacerts layout: ca-cert.pem, ca-key.pem, root-cert.pem, cert-chain.pem)");
        }

        X509Certificate2 signer;
        try
        {
            signer = Usable(X509Certificate2.CreateFromPemFile(File("ca-cert.pem"), File("ca-key.pem")));
        }
        catch (CryptographicException e)
        {
            throw new InvalidOperationException($"--cacerts {dir}: ca-cert.pem and ca-key.pem do not load as a certificate and its key: {e.Message}", e);
        }

        var roots = new X509Certificate2Collection();
        roots.ImportFromPemFile(File("root-cert.pem"));
        var chain = new X509Certificate2Collection();
        chain.ImportFromPemFile(File("cert-chain.pem"));
        if (roots.Count == 0) throw new InvalidOperationException($"--cacerts {dir}: root-cert.pem holds no certificate");
        if (signer.Extensions.OfType<X509BasicConstraintsExtension>().FirstOrDefault() is not { CertificateAuthority: true })
            throw new InvalidOperationException($"--cacerts {dir}: ca-cert.pem is not a CA certificate (basic constraints CA:TRUE required)");

        // The response chain carries cert-chain.pem without the root (the root is appended last, as Istio does).
        var root = roots[0];
        var intermediates = new X509Certificate2Collection();
        foreach (var cert in chain)
        {
            if (!cert.RawDataMemory.Span.SequenceEqual(root.RawDataMemory.Span)) intermediates.Add(cert);
        }
        if (intermediates.Count == 0 && !signer.RawDataMemory.Span.SequenceEqual(root.RawDataMemory.Span)) intermediates.Add(X509CertificateLoader.LoadCertificate(signer.RawData));
        var problem = ChainProblem(signer, intermediates, root, options.TimeProvider);
        if (problem is not null) throw new InvalidOperationException($"--cacerts {dir}: ca-cert.pem does not chain to root-cert.pem through cert-chain.pem: {problem}");
        return new CertificateAuthority(options, signer, intermediates, root);
    }

    internal static string? ChainProblem(X509Certificate2 leaf, X509Certificate2Collection intermediates, X509Certificate2 root, TimeProvider time)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(root);
        chain.ChainPolicy.ExtraStore.AddRange(intermediates);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.VerificationTime = time.GetUtcNow().UtcDateTime;
        chain.ChainPolicy.VerificationTimeIgnored = false;
        if (chain.Build(leaf)) return null;
        return string.Join("; ", chain.ChainStatus.Select(s => s.StatusInformation.Trim()));
    }

    /// <summary>
    /// A certificate whose key SslStream can use on every platform: the key is imported through a PKCS#12 round
    /// trip, because a key attached with CopyWithPrivateKey is ephemeral and not usable by every TLS backend.
    /// </summary>
    internal static X509Certificate2 Usable(X509Certificate2 withKey)
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

    public void Dispose()
    {
        _signer.Dispose();
        if (!ReferenceEquals(Root, _signer)) Root.Dispose();
    }
}
