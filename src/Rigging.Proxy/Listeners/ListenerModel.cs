using System.Collections.Immutable;
using System.Net;

namespace Rigging.Proxy.Listeners;

/// <summary>A compiled Listener: where it binds and the filter chains that take its connections.</summary>
public sealed record ListenerModel(string Name, IPEndPoint Endpoint, ImmutableArray<FilterChainModel> Chains, FilterChainModel? DefaultChain)
{
    /// <summary>
    /// True when a connection's first bytes must be read before it is handed on: a chain matches on TLS, SNI or
    /// ALPN, or one is HTTP (CONNECT and the HTTP/2 preface are recognised first). A pure TCP listener is never
    /// peeked at, so protocols where the server speaks first still work.
    /// </summary>
    public bool NeedsInspection { get; } = Inspects(Chains, DefaultChain);

    /// <summary>Picks the chain for a connection: the first whose match fits, else the default (null: close it).</summary>
    public FilterChainModel? SelectChain(in ConnectionFacts facts)
    {
        foreach (var chain in Chains)
        {
            if (chain.Match.Matches(facts)) return chain;
        }
        return DefaultChain;
    }

    private static bool Inspects(ImmutableArray<FilterChainModel> chains, FilterChainModel? fallback)
    {
        foreach (var chain in chains)
        {
            if (Inspects(chain)) return true;
        }
        return fallback is not null && Inspects(fallback);
    }

    private static bool Inspects(FilterChainModel chain) =>
        chain.Filter is HttpConnectionManagerModel
        || !string.IsNullOrEmpty(chain.Match.TransportProtocol)
        || !chain.Match.ServerNames.IsEmpty
        || !chain.Match.ApplicationProtocols.IsEmpty;
}
