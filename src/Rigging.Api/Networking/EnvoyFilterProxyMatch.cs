namespace Rigging.Api.Networking;

/// <summary>Matches proxies by version and node metadata.</summary>
public sealed record EnvoyFilterProxyMatch
{
    public string? ProxyVersion { get; init; }

    public IReadOnlyDictionary<string, string>? Metadata { get; init; }
}
