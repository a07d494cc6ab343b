using System.Collections.Immutable;
using System.Net;

namespace Rigging.Proxy.Listeners;

/// <summary>A compiled Listener: where it binds and the filter chains that take its connections.</summary>
public sealed record ListenerModel(string Name, IPEndPoint Endpoint, ImmutableArray<FilterChainModel> Chains, FilterChainModel? DefaultChain)
{
    /// <summary>Picks the chain for a connection: the first whose match fits, else the default (null: close it).</summary>
    public FilterChainModel? SelectChain(in ConnectionFacts facts)
    {
        foreach (var chain in Chains)
        {
            if (chain.Match.Matches(facts)) return chain;
        }
        return DefaultChain;
    }
}
