namespace Rigging.Api.Model;

/// <summary>One certificate and key given as file paths (for serving RSA and ECDSA side by side).</summary>
public sealed record ServerTlsCertificate
{
    public string? ServerCertificate { get; init; }

    public string? PrivateKey { get; init; }

    public string? CaCertificates { get; init; }
}
