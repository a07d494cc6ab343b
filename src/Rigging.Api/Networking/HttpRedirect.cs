namespace Rigging.Api.Networking;

/// <summary>Answers with an HTTP redirect instead of forwarding.</summary>
public sealed record HttpRedirect
{
    public string? Uri { get; init; }

    public string? Authority { get; init; }

    /// <summary>Set at most one of Port and DerivePort.</summary>
    public uint? Port { get; init; }

    public RedirectPortSelection? DerivePort { get; init; }

    public string? Scheme { get; init; }

    public uint? RedirectCode { get; init; }

    public string? PrefixRewrite { get; init; }
}
