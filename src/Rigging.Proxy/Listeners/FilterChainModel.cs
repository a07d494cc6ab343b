namespace Rigging.Proxy.Listeners;

/// <summary>A compiled FilterChain: its match and what runs on its connections (HTTP or TCP proxy).</summary>
public sealed record FilterChainModel(string Name, FilterChainMatchModel Match, NetworkFilterModel Filter);

/// <summary>The terminal network filter of a chain.</summary>
public abstract record NetworkFilterModel(string StatPrefix);
