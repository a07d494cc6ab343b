namespace Rigging.Api.Networking;

/// <summary>Conditions for a TLS route.</summary>
public sealed record TlsMatchAttributes
{
    public IReadOnlyList<string>? SniHosts { get; init; }

    public IReadOnlyList<string>? DestinationSubnets { get; init; }

    public uint? Port { get; init; }

    public IReadOnlyDictionary<string, string>? SourceLabels { get; init; }

    public IReadOnlyList<string>? Gateways { get; init; }

    public string? SourceNamespace { get; init; }
}
