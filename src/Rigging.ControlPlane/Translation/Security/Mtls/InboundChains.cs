using Envoy.Config.Listener.V3;
using Rigging.Api.Security;

namespace Rigging.ControlPlane.Translation.Security.Mtls;

/// <summary>
/// A sidecar inbound listener's filter chains for a PeerAuthentication mode, as Istio builds them:
/// STRICT → one chain matching transport_protocol "tls" with the mesh server TLS (client certificate required,
/// ROOTCA validation), so a plaintext connection matches no chain and is closed; PERMISSIVE → that chain plus a
/// plaintext one ("raw_buffer"), the proxy choosing by sniffing the first bytes; DISABLE → plaintext only.
/// HTTP chains end in the HTTP connection manager; TCP chains in network RBAC then tcp_proxy, matched by
/// destination port as Istio's per-port inbound chains are.
/// </summary>
internal static class InboundChains
{
    public const string Tls = "tls";
    public const string RawBuffer = "raw_buffer";

    /// <param name="filters">The chain's network filters, the terminal one last.</param>
    /// <param name="http">Offer HTTP's ALPN on TLS (h2, http/1.1) rather than TCP's.</param>
    /// <param name="destinationPort">The port the chain answers on (TCP chains); null matches any.</param>
    public static IEnumerable<FilterChain> Build(MutualTlsMode mode, IReadOnlyList<Filter> filters, bool http, uint? destinationPort = null)
    {
        if (mode is MutualTlsMode.STRICT or MutualTlsMode.PERMISSIVE or MutualTlsMode.UNSET)
        {
            yield return new FilterChain
            {
                Name = "inbound-mtls",
                FilterChainMatch = Match(destinationPort, Tls),
                TransportSocket = TlsContexts.Socket(TlsContexts.IstioMutualDownstream(http)),
                Filters = { filters },
            };
        }
        if (mode == MutualTlsMode.STRICT) yield break;
        yield return new FilterChain
        {
            Name = "inbound-plaintext",
            // DISABLE needs no transport match (nothing is sniffed, so server-first TCP protocols work);
            // PERMISSIVE's plaintext chain must not catch TLS.
            FilterChainMatch = Match(destinationPort, mode == MutualTlsMode.DISABLE ? null : RawBuffer),
            Filters = { filters },
        };
    }

    private static FilterChainMatch? Match(uint? destinationPort, string? transportProtocol)
    {
        if (destinationPort is null && transportProtocol is null) return null;
        var match = new FilterChainMatch();
        if (destinationPort is { } port) match.DestinationPort = port;
        if (transportProtocol is not null) match.TransportProtocol = transportProtocol;
        return match;
    }
}
