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

    /// <summary>
    /// True when a plaintext chain matches on application protocols (Istio's sniffed ports: HTTP chains match
    /// http/1.0, http/1.1 and h2c, the TCP chain takes the rest), so the first bytes are read as http_inspector would.
    /// </summary>
    public bool DetectsHttp { get; } = Chains.Any(c => !c.Match.ApplicationProtocols.IsEmpty && c.Match.TransportProtocol != "tls");

    /// <summary>Picks the chain for a connection: the first whose match fits, else the default (null: close it).</summary>
    public FilterChainModel? SelectChain(in ConnectionFacts facts)
    {
        foreach (var chain in Chains)
        {
            if (chain.Match.Matches(facts)) return chain;
        }
        return DefaultChain;
    }

    /// <summary>Whether the chain is one of this listener's (the same object: a config update builds new chains).</summary>
    public bool Contains(FilterChainModel chain)
    {
        if (ReferenceEquals(chain, DefaultChain)) return true;
        foreach (var candidate in Chains)
        {
            if (ReferenceEquals(candidate, chain)) return true;
        }
        return false;
    }

    /// <summary>Whether a chain configured exactly as <paramref name="config"/> is still one of this listener's.</summary>
    public bool HasChainConfiguredAs(Google.Protobuf.ByteString config)
    {
        if (DefaultChain is not null && DefaultChain.Config.Equals(config)) return true;
        foreach (var candidate in Chains)
        {
            if (candidate.Config.Equals(config)) return true;
        }
        return false;
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
