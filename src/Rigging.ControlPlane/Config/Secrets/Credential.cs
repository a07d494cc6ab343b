namespace Rigging.ControlPlane.Config.Secrets;

/// <summary>
/// A TLS credential named by a Gateway's (or DestinationRule's) credentialName, as PEM text: the certificate
/// chain and key (absent for a CA-only secret) and the CA bundle that verifies clients (MUTUAL).
/// </summary>
public sealed record Credential(string Name, string? CertificateChain, string? PrivateKey, string? CaCertificates)
{
    public bool HasKeyPair => CertificateChain is { Length: > 0 } && PrivateKey is { Length: > 0 };
}
