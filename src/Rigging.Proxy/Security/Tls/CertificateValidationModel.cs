using System.Collections.Immutable;
using System.Security.Cryptography.X509Certificates;

namespace Rigging.Proxy.Security.Tls;

/// <summary>
/// A compiled CertificateValidationContext: the roots a peer's chain must end at (inline or an SDS secret such as
/// ROOTCA) and the SAN matchers one of which must match. Checked by our own chain build, so trust is exactly the
/// configured roots (never the system store), with no revocation check, at the injected clock's time.
/// </summary>
internal sealed class CertificateValidationModel(SecretSource? trustedCa, ImmutableArray<SanMatcherModel> sanMatchers, bool acceptUntrusted)
{
    public SecretSource? TrustedCa { get; } = trustedCa;

    public ImmutableArray<SanMatcherModel> SanMatchers { get; } = sanMatchers;

    public TlsVerifyOutcome Verify(X509Certificate2 leaf, X509Certificate2Collection? presented, SecretStore secrets, TimeProvider time)
    {
        if (TrustedCa is not null && !acceptUntrusted)
        {
            var roots = TrustedCa.Resolve(secrets)?.TrustedCas;
            if (roots is null || roots.Count == 0) return TlsVerifyOutcome.TrustNotAvailable;
            using var chain = new X509Chain();
            chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
            chain.ChainPolicy.CustomTrustStore.AddRange(roots);
            chain.ChainPolicy.VerificationTime = time.GetUtcNow().UtcDateTime;
            chain.ChainPolicy.VerificationTimeIgnored = false;
            if (presented is not null) chain.ChainPolicy.ExtraStore.AddRange(presented);
            if (!chain.Build(leaf)) return TlsVerifyOutcome.ChainInvalid;
        }
        if (SanMatchers.IsDefaultOrEmpty) return TlsVerifyOutcome.Accepted;
        var names = SubjectAltNames.Of(leaf);
        foreach (var matcher in SanMatchers)
        {
            if (matcher.Matches(names)) return TlsVerifyOutcome.Accepted;
        }
        return TlsVerifyOutcome.SanMismatch;
    }
}
