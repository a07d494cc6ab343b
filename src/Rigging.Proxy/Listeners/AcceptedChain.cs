namespace Rigging.Proxy.Listeners;

/// <summary>
/// A connection's filter chain as its requests see it: the facts it was accepted with, and the chain its requests
/// run on, which a config update may replace (<see cref="KestrelListener"/>'s ChainFor). HTTP/2 streams of one
/// connection read and replace it concurrently, so the chain is one volatile reference.
/// </summary>
internal sealed class AcceptedChain(FilterChainModel chain, ConnectionFacts facts)
{
    private volatile FilterChainModel _chain = chain;

    public FilterChainModel Chain
    {
        get => _chain;
        set => _chain = value;
    }

    public ConnectionFacts Facts { get; } = facts;
}
