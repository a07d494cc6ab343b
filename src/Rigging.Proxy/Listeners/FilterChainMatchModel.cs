using System.Collections.Immutable;

namespace Rigging.Proxy.Listeners;

/// <summary>A compiled FilterChainMatch; an empty match takes every connection.</summary>
public sealed record FilterChainMatchModel(int? DestinationPort, string? TransportProtocol, ImmutableArray<string> ServerNames, ImmutableArray<string> ApplicationProtocols)
{
    public static FilterChainMatchModel Any { get; } = new(null, null, [], []);

    public bool Matches(in ConnectionFacts facts)
    {
        if (DestinationPort is { } port && port != facts.DestinationPort) return false;
        if (!string.IsNullOrEmpty(TransportProtocol) && TransportProtocol != facts.TransportProtocol) return false;
        if (!ServerNames.IsEmpty && !AnyServerNameMatches(facts.ServerName)) return false;
        if (!ApplicationProtocols.IsEmpty && !AnyProtocolMatches(facts.ApplicationProtocols)) return false;
        return true;
    }

    private bool AnyServerNameMatches(string? name)
    {
        if (name is null) return false;
        foreach (var pattern in ServerNames)
        {
            if (ServerNameMatches(pattern, name)) return true;
        }
        return false;
    }

    private bool AnyProtocolMatches(IReadOnlyList<string> offered)
    {
        foreach (var protocol in offered)
        {
            if (ApplicationProtocols.Contains(protocol)) return true;
        }
        return false;
    }

    private static bool ServerNameMatches(string pattern, string name) =>
        pattern.StartsWith("*.", StringComparison.Ordinal)
            ? name.EndsWith(pattern[1..], StringComparison.OrdinalIgnoreCase)
            : string.Equals(pattern, name, StringComparison.OrdinalIgnoreCase);
}
