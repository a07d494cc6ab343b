using Envoy.Config.Listener.V3;
using Rigging.Api.Security;

namespace Rigging.ControlPlane.Translation.Security.Mtls;

/// <summary>
/// A sidecar inbound listener's filter chains for a PeerAuthentication mode, as Istio builds them:
/// STRICT → one chain matching transport_protocol "tls" with the mesh server TLS (client certificate required,
/// ROOTCA validation), so a plaintext connection matches no chain and is closed; PERMISSIVE → that chain plus a
/// plaintext one ("raw_buffer"), the proxy choosing by sniffing the first bytes; DISABLE → plaintext only.
/// HTTP chains end in the HTTP connection manager; TCP chains in network RBAC then tcp_proxy, matched by
/// destination port as Istio's per-port inbound chains are. A sniffed port (<see cref="BuildSniffed"/>) gets both.
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
        if (AcceptsMtls(mode)) yield return Chain("inbound-mtls", Match(destinationPort, Tls), Mtls(http), filters);
        if (mode == MutualTlsMode.STRICT) yield break;
        // DISABLE needs no transport match (nothing is sniffed, so server-first TCP protocols work);
        // PERMISSIVE's plaintext chain must not catch TLS.
        yield return Chain("inbound-plaintext", Match(destinationPort, mode == MutualTlsMode.DISABLE ? null : RawBuffer), null, filters);
    }

    /// <summary>
    /// ALPN a mesh client offers for HTTP inside mTLS: ours offers h2 or http/1.1, Istio's Envoy its istio-http/*
    /// and istio-h2 names. A TCP client offers neither (ours none, Istio's istio-peer-exchange and istio).
    /// </summary>
    public static readonly string[] HttpInTls = ["h2", "http/1.1", "http/1.0", "istio-h2", "istio-http/1.1", "istio-http/1.0"];

    /// <summary>What http_inspector reports for plaintext HTTP (Istio's plaintext HTTP chains match these).</summary>
    public static readonly string[] HttpInPlaintext = ["http/1.0", "http/1.1", "h2c"];

    /// <summary>
    /// A sniffed port's chains (Istio's protocol detection): per transport the mode allows, an HTTP chain matched
    /// by application protocol (ALPN inside mTLS, the sniffed request inside plaintext) and a TCP chain for the rest.
    /// </summary>
    public static IEnumerable<FilterChain> BuildSniffed(MutualTlsMode mode, IReadOnlyList<Filter> http, IReadOnlyList<Filter> tcp, uint destinationPort)
    {
        if (AcceptsMtls(mode))
        {
            yield return Chain("inbound-mtls-http", Match(null, Tls, HttpInTls), Mtls(http: true), http);
            yield return Chain("inbound-mtls-tcp", Match(destinationPort, Tls), Mtls(http: false), tcp);
        }
        if (mode == MutualTlsMode.STRICT) yield break;
        yield return Chain("inbound-plaintext-http", Match(null, RawBuffer, HttpInPlaintext), null, http);
        yield return Chain("inbound-plaintext-tcp", Match(destinationPort, mode == MutualTlsMode.DISABLE ? null : RawBuffer), null, tcp);
    }

    private static bool AcceptsMtls(MutualTlsMode mode) => mode is MutualTlsMode.STRICT or MutualTlsMode.PERMISSIVE or MutualTlsMode.UNSET;

    private static Envoy.Config.Core.V3.TransportSocket Mtls(bool http) => TlsContexts.Socket(TlsContexts.IstioMutualDownstream(http));

    private static FilterChain Chain(string name, FilterChainMatch? match, Envoy.Config.Core.V3.TransportSocket? socket, IReadOnlyList<Filter> filters)
    {
        var chain = new FilterChain { Name = name, FilterChainMatch = match, TransportSocket = socket };
        chain.Filters.AddRange(filters);
        return chain;
    }

    private static FilterChainMatch? Match(uint? destinationPort, string? transportProtocol, IEnumerable<string>? applicationProtocols = null)
    {
        if (destinationPort is null && transportProtocol is null) return null;
        var match = new FilterChainMatch();
        if (destinationPort is { } port) match.DestinationPort = port;
        if (transportProtocol is not null) match.TransportProtocol = transportProtocol;
        if (applicationProtocols is not null) match.ApplicationProtocols.AddRange(applicationProtocols);
        return match;
    }
}
