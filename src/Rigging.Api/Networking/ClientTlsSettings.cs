namespace Rigging.Api.Networking;

/// <summary>TLS used on connections to the upstream.</summary>
public sealed record ClientTlsSettings
{
    public ClientTlsMode? Mode { get; init; }

    public string? ClientCertificate { get; init; }

    public string? PrivateKey { get; init; }

    public string? CaCertificates { get; init; }

    public string? CredentialName { get; init; }

    public IReadOnlyList<string>? SubjectAltNames { get; init; }

    public string? Sni { get; init; }

    public bool? InsecureSkipVerify { get; init; }

    public string? CaCrl { get; init; }
}
