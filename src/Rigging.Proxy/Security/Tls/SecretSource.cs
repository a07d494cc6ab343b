namespace Rigging.Proxy.Security.Tls;

/// <summary>Where a TLS context's certificate or trust bundle comes from: an SDS secret by name, or inline config.</summary>
internal sealed record SecretSource(string? SdsName, SecretModel? Inline)
{
    /// <summary>The current secret (looked up per handshake so rotations apply); null while SDS has not delivered it.</summary>
    public SecretModel? Resolve(SecretStore store) => Inline ?? (SdsName is null ? null : store.Get(SdsName));

    public string Describe => SdsName is null ? "inline" : $"secret {SdsName}";
}
