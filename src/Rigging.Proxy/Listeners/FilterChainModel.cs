namespace Rigging.Proxy.Listeners;

/// <summary>A compiled FilterChain: its match, its transport socket (TLS or plaintext) and what runs on its connections (HTTP or TCP proxy).</summary>
public sealed record FilterChainModel(string Name, FilterChainMatchModel Match, NetworkFilterModel Filter)
{
    /// <summary>The DownstreamTlsContext to terminate before the filter runs; null for a plaintext chain.</summary>
    internal Security.Tls.DownstreamTlsModel? Tls { get; init; }

    /// <summary>
    /// The FilterChain it was compiled from, serialized: every update compiles new chain objects, and this tells
    /// whether a connection's chain is still configured as it was (Envoy drains connections only of changed chains).
    /// Compared by content; not a digest, so no hash (and no crypto library) is needed for plaintext listeners.
    /// </summary>
    public Google.Protobuf.ByteString Config { get; init; } = Google.Protobuf.ByteString.Empty;
}

/// <summary>The terminal network filter of a chain.</summary>
public abstract record NetworkFilterModel(string StatPrefix);
