namespace Rigging.Api.Networking;

/// <summary>Matches filter chains in a listener.</summary>
public sealed record FilterChainMatch
{
    public string? Name { get; init; }

    public string? Sni { get; init; }

    public string? TransportProtocol { get; init; }

    public string? ApplicationProtocols { get; init; }

    public ListenerFilterMatch? Filter { get; init; }

    public uint? DestinationPort { get; init; }
}
