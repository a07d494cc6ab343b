namespace Rigging.Api.Networking;

/// <summary>Conditions for a TCP route.</summary>
public sealed record L4MatchAttributes
{
    public IReadOnlyList<string>? DestinationSubnets { get; init; }

    public uint? Port { get; init; }

    public string? SourceSubnet { get; init; }

    public IReadOnlyDictionary<string, string>? SourceLabels { get; init; }

    public IReadOnlyList<string>? Gateways { get; init; }

    public string? SourceNamespace { get; init; }
}
