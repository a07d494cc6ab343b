using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using FluentAssertions;
using Rigging.ControlPlane.Security;

namespace Rigging.ControlPlane.Tests.Security.Ca;

public sealed class CertificateAuthorityTests : IDisposable
{
    private static readonly SpiffeId Reviews = new("cluster.local", "default", "reviews");
    private readonly CaTestFiles _files = new();
    private readonly FakeTime _time = new(TimeProvider.System.GetUtcNow());

    private CertificateAuthority Load(string? cacerts = null) =>
        CertificateAuthority.Load(new CertificateAuthorityOptions { StateDirectory = _files.State, CaCertsDirectory = cacerts, TimeProvider = _time });

    [Fact]
    public void Svid_has_exactly_one_uri_san_ca_false_digital_signature_server_and_client_auth_and_24h()
    {
        using var ca = Load();
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var result = ca.SignWorkload(CaTestFiles.Csr(key, Reviews.ToString()), Reviews);

        result.Outcome.Should().Be(CsrOutcome.Signed, result.Error);
        using var leaf = CaTestFiles.Pem(result.ChainPem[0]);
        var san = leaf.Extensions["2.5.29.17"]!;
        san.Critical.Should().BeTrue("the subject is empty, so the SAN must be critical");
        var asn = new System.Formats.Asn1.AsnReader(san.RawData, System.Formats.Asn1.AsnEncodingRules.DER).ReadSequence();
        var names = new List<string>();
        while (asn.HasData) names.Add(asn.ReadCharacterString(System.Formats.Asn1.UniversalTagNumber.IA5String, new System.Formats.Asn1.Asn1Tag(System.Formats.Asn1.TagClass.ContextSpecific, 6)));
        names.Should().Equal("spiffe://cluster.local/ns/default/sa/reviews");

        var basic = leaf.Extensions.OfType<X509BasicConstraintsExtension>().Single();
        basic.CertificateAuthority.Should().BeFalse();
        basic.Critical.Should().BeTrue();
        var usage = leaf.Extensions.OfType<X509KeyUsageExtension>().Single();
        usage.KeyUsages.Should().Be(X509KeyUsageFlags.DigitalSignature);
        usage.Critical.Should().BeTrue();
        leaf.Extensions.OfType<X509EnhancedKeyUsageExtension>().Single().EnhancedKeyUsages.Cast<Oid>().Select(o => o.Value)
            .Should().BeEquivalentTo("1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2");
        var now = _time.GetUtcNow();
        leaf.NotBefore.ToUniversalTime().Should().BeBefore(now.UtcDateTime).And.BeAfter(now.UtcDateTime.AddMinutes(-5));
        (leaf.NotAfter.ToUniversalTime() - now.UtcDateTime).Should().BeCloseTo(TimeSpan.FromHours(24), TimeSpan.FromSeconds(2));
        leaf.SerialNumberBytes.Length.Should().BeGreaterThanOrEqualTo(8);
        leaf.SubjectName.Name.Should().BeEmpty();
    }

    [Fact]
    public void Chain_is_leaf_then_root_and_verifies_to_the_root_written_to_the_state_directory()
    {
        using var ca = Load();
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var result = ca.SignWorkload(CaTestFiles.Csr(key), Reviews);

        result.ChainPem.Should().HaveCount(2);
        using var root = X509Certificate2.CreateFromPem(File.ReadAllText(Path.Combine(_files.State, "root-cert.pem")));
        CaTestFiles.Pem(result.ChainPem[1]).RawData.Should().Equal(root.RawData);
        root.Extensions.OfType<X509BasicConstraintsExtension>().Single().CertificateAuthority.Should().BeTrue();
        (root.NotAfter - root.NotBefore).Should().BeGreaterThan(TimeSpan.FromDays(3649));
        Verify(CaTestFiles.Pem(result.ChainPem[0]), [], root).Should().BeTrue();
    }

    [Fact]
    public void Key_files_are_mode_0600_and_a_restart_keeps_the_same_root()
    {
        byte[] first;
        using (var ca = Load()) first = ca.Root.RawData;
        _ = BootstrapTokens.LoadOrCreate(_files.State, _time);
        if (OperatingSystem.IsWindows()) return; // Unix modes only

        foreach (var name in new[] { "root-key.pem", BootstrapTokens.KeyFileName })
        {
            File.GetUnixFileMode(Path.Combine(_files.State, name)).Should().Be(UnixFileMode.UserRead | UnixFileMode.UserWrite, name);
        }
        using var again = Load();
        again.Root.RawData.Should().Equal(first);
    }

    [Fact]
    public void Plug_in_cacerts_sign_with_ca_cert_and_answer_leaf_intermediate_root()
    {
        var cacerts = Path.Combine(_files.Root, "cacerts");
        Directory.CreateDirectory(cacerts);
        using var rootKey = RSA.Create(2048);
        var rootRequest = new CertificateRequest("CN=Plug-in Root", rootKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        rootRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        rootRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign, true));
        rootRequest.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(rootRequest.PublicKey, false));
        var now = _time.GetUtcNow();
        using var root = rootRequest.CreateSelfSigned(now.AddDays(-1), now.AddYears(5));
        using var interKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var interRequest = new CertificateRequest("CN=Plug-in Intermediate", interKey, HashAlgorithmName.SHA256);
        interRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        interRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign, true));
        interRequest.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(interRequest.PublicKey, false));
        interRequest.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(root, true, false));
        using var inter = interRequest.Create(root.SubjectName, X509SignatureGenerator.CreateForRSA(rootKey, RSASignaturePadding.Pkcs1), now.AddDays(-1), now.AddYears(2), [1, 2, 3, 4]);
        File.WriteAllText(Path.Combine(cacerts, "ca-cert.pem"), inter.ExportCertificatePem());
        File.WriteAllText(Path.Combine(cacerts, "ca-key.pem"), interKey.ExportPkcs8PrivateKeyPem());
        File.WriteAllText(Path.Combine(cacerts, "root-cert.pem"), root.ExportCertificatePem());
        File.WriteAllText(Path.Combine(cacerts, "cert-chain.pem"), inter.ExportCertificatePem() + root.ExportCertificatePem());

        using var ca = Load(cacerts);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var result = ca.SignWorkload(CaTestFiles.Csr(key), Reviews);

        result.ChainPem.Select(p => CaTestFiles.Pem(p).Subject).Should().Equal(string.Empty, "CN=Plug-in Intermediate", "CN=Plug-in Root");
        CaTestFiles.Pem(result.ChainPem[0]).Issuer.Should().Be("CN=Plug-in Intermediate");
        Verify(CaTestFiles.Pem(result.ChainPem[0]), [inter], root).Should().BeTrue();
        File.ReadAllText(Path.Combine(_files.State, "root-cert.pem")).Should().Be(root.ExportCertificatePem());
        File.Exists(Path.Combine(_files.State, "root-key.pem")).Should().BeFalse("a plug-in CA creates no key of its own");
    }

    [Fact]
    public void Plug_in_cacerts_with_a_missing_file_is_refused_naming_the_file()
    {
        var cacerts = Path.Combine(_files.Root, "cacerts");
        Directory.CreateDirectory(cacerts);
        var act = () => Load(cacerts);
        act.Should().Throw<InvalidOperationException>().WithMessage("*ca-cert.pem is missing*");
    }

    [Fact]
    public void Csr_asking_for_another_identity_is_refused()
    {
        using var ca = Load();
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var result = ca.SignWorkload(CaTestFiles.Csr(key, "spiffe://cluster.local/ns/istio-system/sa/istiod"), Reviews);

        result.Outcome.Should().Be(CsrOutcome.IdentityNotGranted);
        result.Error.Should().Contain("spiffe://cluster.local/ns/istio-system/sa/istiod").And.Contain("is granted only spiffe://cluster.local/ns/default/sa/reviews");
        result.ChainPem.Should().BeEmpty();
    }

    [Theory]
    [InlineData("")]
    [InlineData("hello")]
    [InlineData("-----BEGIN CERTIFICATE REQUEST-----\nAAAA\n-----END CERTIFICATE REQUEST-----\n")]
    public void Garbage_csr_is_refused(string csr)
    {
        using var ca = Load();
        var result = ca.SignWorkload(csr, Reviews);
        result.Outcome.Should().Be(CsrOutcome.Malformed);
        result.Error.Should().NotBeNullOrEmpty();
    }

    [Fact]
    public void Csr_whose_signature_does_not_verify_is_refused()
    {
        using var ca = Load();
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var der = new CertificateRequest(new X500DistinguishedName("CN=x"), key, HashAlgorithmName.SHA256).CreateSigningRequest();
        der[^3] ^= 0x55; // inside the signature
        var result = ca.SignWorkload(PemEncoding.WriteString("CERTIFICATE REQUEST", der), Reviews);
        result.Outcome.Should().Be(CsrOutcome.Malformed);
    }

    [Fact]
    public void Rsa_keys_also_get_key_encipherment_and_requested_validity_is_capped()
    {
        using var ca = Load();
        using var key = RSA.Create(2048);
        var csr = new CertificateRequest(new X500DistinguishedName(string.Empty), key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1).CreateSigningRequestPem();
        var result = ca.SignWorkload(csr, Reviews, TimeSpan.FromDays(30));

        using var leaf = CaTestFiles.Pem(result.ChainPem[0]);
        leaf.Extensions.OfType<X509KeyUsageExtension>().Single().KeyUsages.Should().Be(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment);
        (leaf.NotAfter - leaf.NotBefore).Should().BeLessThan(TimeSpan.FromHours(25));
        using var shorter = CaTestFiles.Pem(ca.SignWorkload(csr, Reviews, TimeSpan.FromHours(1)).ChainPem[0]);
        (shorter.NotAfter.ToUniversalTime() - _time.GetUtcNow().UtcDateTime).Should().BeCloseTo(TimeSpan.FromHours(1), TimeSpan.FromSeconds(2));
    }

    private bool Verify(X509Certificate2 leaf, X509Certificate2[] intermediates, X509Certificate2 root)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(root);
        chain.ChainPolicy.ExtraStore.AddRange(intermediates);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.VerificationTime = _time.GetUtcNow().UtcDateTime;
        return chain.Build(leaf);
    }

    public void Dispose() => _files.Dispose();
}
