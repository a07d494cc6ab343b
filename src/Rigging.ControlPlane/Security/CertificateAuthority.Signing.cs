using System.Formats.Asn1;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Rigging.ControlPlane.Security;

/// <summary>Signing: workload SVIDs from CSRs (X.509-SVID rules) and the control plane's own serving certificate.</summary>
public sealed partial class CertificateAuthority
{
    private const int MaxCsrLength = 64 * 1024;
    private static readonly Oid ServerAuth = new("1.3.6.1.5.5.7.3.1");
    private static readonly Oid ClientAuth = new("1.3.6.1.5.5.7.3.2");
    private static readonly Lock IssueLock = new();

    /// <summary>
    /// Signs a PEM CSR for <paramref name="identity"/>: the CSR's signature must verify; its own extensions are
    /// ignored, except that any name it asks for must be exactly the identity granted. The certificate carries one
    /// URI SAN, CA=false, digitalSignature (+keyEncipherment for RSA), serverAuth+clientAuth, and lives the
    /// requested time capped at the maximum (the default when none is asked).
    /// </summary>
    public CsrResult SignWorkload(string csrPem, SpiffeId identity, TimeSpan? requested = null)
    {
        ArgumentNullException.ThrowIfNull(identity);
        if (string.IsNullOrWhiteSpace(csrPem) || csrPem.Length > MaxCsrLength)
            return CsrResult.Refused(CsrOutcome.Malformed, $"the CSR must be a PEM certificate request of at most {MaxCsrLength} characters");
        CertificateRequest csr;
        try
        {
            csr = CertificateRequest.LoadSigningRequestPem(csrPem, HashAlgorithmName.SHA256, CertificateRequestLoadOptions.UnsafeLoadCertificateExtensions);
        }
        catch (Exception e) when (e is CryptographicException or ArgumentException or FormatException)
        {
            return CsrResult.Refused(CsrOutcome.Malformed, $"the CSR does not parse or its signature does not verify: {e.Message}");
        }

        if (KeyProblem(csr.PublicKey) is { } keyProblem) return CsrResult.Refused(CsrOutcome.Malformed, keyProblem);
        var granted = identity.ToString();
        if (NameProblem(csr, granted) is { } nameProblem) return CsrResult.Refused(CsrOutcome.IdentityNotGranted, nameProblem);

        var ttl = requested is { } asked && asked > TimeSpan.Zero
            ? (asked < _options.MaxCertificateTtl ? asked : _options.MaxCertificateTtl)
            : _options.DefaultCertificateTtl;
        var san = new SubjectAlternativeNameBuilder();
        san.AddUri(identity.ToUri());
        using var leaf = Issue(csr.PublicKey, san, ttl, [ServerAuth, ClientAuth]);
        return new CsrResult(CsrOutcome.Signed, ChainPem(leaf), null);
    }

    /// <summary>The control plane's own TLS certificate (key generated here), for the xDS TLS port.</summary>
    public X509Certificate2 IssueServing(IEnumerable<string> dnsNames, IEnumerable<IPAddress> addresses, TimeSpan ttl)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var san = new SubjectAlternativeNameBuilder();
        foreach (var name in dnsNames) san.AddDnsName(name);
        foreach (var address in addresses) san.AddIpAddress(address);
        var publicKey = new CertificateRequest(string.Empty, key, HashAlgorithmName.SHA256).PublicKey;
        using var cert = Issue(publicKey, san, ttl, [ServerAuth, ClientAuth]);
        using var withKey = cert.CopyWithPrivateKey(key);
        return Usable(withKey);
    }

    private X509Certificate2 Issue(PublicKey publicKey, SubjectAlternativeNameBuilder san, TimeSpan ttl, Oid[] usages)
    {
        // An empty subject: the identity is the SAN alone, which must then be critical (RFC 5280 4.2.1.6).
        var request = new CertificateRequest(new X500DistinguishedName(string.Empty), publicKey, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(certificateAuthority: false, hasPathLengthConstraint: false, pathLengthConstraint: 0, critical: true));
        var usage = X509KeyUsageFlags.DigitalSignature;
        if (publicKey.GetRSAPublicKey() is { } rsa)
        {
            rsa.Dispose();
            usage |= X509KeyUsageFlags.KeyEncipherment;
        }
        request.CertificateExtensions.Add(new X509KeyUsageExtension(usage, critical: true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([.. usages], critical: false));
        request.CertificateExtensions.Add(san.Build(critical: true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(publicKey, critical: false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(_signer, true, false));

        var now = _options.TimeProvider.GetUtcNow();
        var notBefore = now - _options.Backdate;
        var notAfter = now + ttl;
        if (notAfter > _signer.NotAfter) notAfter = _signer.NotAfter; // never outlive the issuer
        if (notBefore < _signer.NotBefore) notBefore = _signer.NotBefore;
        Span<byte> serial = stackalloc byte[16];
        RandomNumberGenerator.Fill(serial);
        serial[0] = (byte)((serial[0] & 0x7F) | 0x01); // positive and never zero
        lock (IssueLock)
        {
            return request.Create(_signer.SubjectName, _generator, notBefore, notAfter, serial);
        }
    }

    private List<string> ChainPem(X509Certificate2 leaf)
    {
        var chain = new List<string>(Intermediates.Count + 2) { leaf.ExportCertificatePem() };
        foreach (var cert in Intermediates) chain.Add(cert.ExportCertificatePem());
        chain.Add(RootPem);
        return chain;
    }

    private static string? KeyProblem(PublicKey key)
    {
        using (var ec = key.GetECDsaPublicKey())
        {
            if (ec is not null) return ec.KeySize is 256 or 384 ? null : $"the CSR's ECDSA key has {ec.KeySize} bits; P-256 or P-384 is required";
        }
        using var rsa = key.GetRSAPublicKey();
        if (rsa is not null) return rsa.KeySize >= 2048 ? null : $"the CSR's RSA key has {rsa.KeySize} bits; at least 2048 is required";
        return "the CSR's key is neither ECDSA nor RSA";
    }

    private static string? NameProblem(CertificateRequest csr, string granted)
    {
        foreach (var extension in csr.CertificateExtensions)
        {
            if (extension.Oid?.Value != "2.5.29.17") continue;
            try
            {
                // GeneralNames (RFC 5280 4.2.1.6): only uniformResourceIdentifier [6] equal to the grant is allowed.
                var names = new AsnReader(extension.RawData, AsnEncodingRules.DER).ReadSequence();
                var uri = new Asn1Tag(TagClass.ContextSpecific, 6);
                for (int i = 0; i < 64 && names.HasData; i++)
                {
                    var tag = names.PeekTag();
                    if (tag != uri) return $"the CSR asks for a subjectAltName other than a URI (tag [{tag.TagValue}]); a workload certificate carries only {granted}";
                    var text = names.ReadCharacterString(UniversalTagNumber.IA5String, uri);
                    if (!string.Equals(text, granted, StringComparison.Ordinal))
                        return $"the CSR asks for {text}, but the caller is granted only {granted}";
                }
                if (names.HasData) return "the CSR's subjectAltName lists more than 64 names";
            }
            catch (AsnContentException e)
            {
                return $"the CSR's subjectAltName does not parse: {e.Message}";
            }
        }

        return null;
    }
}
