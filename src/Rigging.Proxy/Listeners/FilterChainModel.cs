namespace Rigging.Proxy.Listeners;

/// <summary>A compiled FilterChain: its match, its transport socket (TLS or plaintext) and what runs on its connections (HTTP or TCP proxy).</summary>
public sealed record FilterChainModel(string Name, FilterChainMatchModel Match, NetworkFilterModel Filter)
{
    /// <summary>The DownstreamTlsContext to terminate before the filter runs; null for a plaintext chain.</summary>
    internal Security.Tls.DownstreamTlsModel? Tls { get; init; }

    /// <summary>
    /// A digest of the FilterChain it was compiled from: every update compiles new chain objects, and this tells
    /// whether a connection's chain is still configured as it was (Envoy drains connections only of changed chains).
    /// </summary>
    public string ConfigKey { get; init; } = "";
}

/// <summary>The terminal network filter of a chain.</summary>
public abstract record NetworkFilterModel(string StatPrefix);
