namespace Rigging.Api.Networking;

/// <summary>Matches Envoy listeners.</summary>
public sealed record ListenerMatch
{
    public uint? PortNumber { get; init; }

    public string? PortName { get; init; }

    public FilterChainMatch? FilterChain { get; init; }

    public string? ListenerFilter { get; init; }

    public string? Name { get; init; }
}
