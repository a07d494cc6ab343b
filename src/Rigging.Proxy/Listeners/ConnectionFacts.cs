namespace Rigging.Proxy.Listeners;

/// <summary>What is known of a new connection when a filter chain is chosen.</summary>
public readonly record struct ConnectionFacts(int DestinationPort, string TransportProtocol, string? ServerName, IReadOnlyList<string> ApplicationProtocols);
