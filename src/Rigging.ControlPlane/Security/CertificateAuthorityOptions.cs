namespace Rigging.ControlPlane.Security;

/// <summary>Where the CA keeps its keys, whose CA it is, and how long what it signs lives.</summary>
public sealed record CertificateAuthorityOptions
{
    /// <summary>The state directory: root-cert.pem (for proxies), root-key.pem (0600), token-key (0600).</summary>
    public required string StateDirectory { get; init; }

    /// <summary>A plug-in CA in Istio's cacerts layout (ca-cert.pem, ca-key.pem, root-cert.pem, cert-chain.pem).</summary>
    public string? CaCertsDirectory { get; init; }

    public string TrustDomain { get; init; } = "cluster.local";

    public TimeSpan DefaultCertificateTtl { get; init; } = TimeSpan.FromHours(24);

    /// <summary>The longest lifetime a CSR's validity_duration may ask for.</summary>
    public TimeSpan MaxCertificateTtl { get; init; } = TimeSpan.FromHours(24);

    public TimeSpan RootLifetime { get; init; } = TimeSpan.FromDays(3650);

    /// <summary>notBefore is set this far in the past so a peer with a slightly slow clock accepts the cert.</summary>
    public TimeSpan Backdate { get; init; } = TimeSpan.FromMinutes(1);

    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;
}
