using Envoy.Config.Listener.V3;
using Rigging.Api.Security;

namespace Rigging.ControlPlane.Translation.Security.Mtls;

/// <summary>
/// A sidecar inbound listener's filter chains for a PeerAuthentication mode, as Istio builds them:
/// STRICT → one chain matching transport_protocol "tls" with the mesh server TLS (client certificate required,
/// ROOTCA validation), so a plaintext connection matches no chain and is closed; PERMISSIVE → that chain, matched
/// only when the client offers Istio's mesh ALPN names (ours and Istio's sidecars do), then TLS from any other
/// client passed through untouched to the application as TCP, then a plaintext chain ("raw_buffer"), the proxy
/// choosing by sniffing the first bytes; DISABLE → plaintext only. HTTP chains end in the HTTP connection manager;
/// TCP chains in network RBAC then tcp_proxy, matched by destination port as Istio's per-port inbound chains are.
/// A sniffed port (<see cref="BuildSniffed"/>) gets both kinds.
/// </summary>
internal static class InboundChains
{
    public const string Tls = "tls";
    public const string RawBuffer = "raw_buffer";

    /// <summary>What a mesh client offers inside mTLS: Istio's names (ours offer istio-http/1.1 or istio-h2 and istio for HTTP, istio for TCP).</summary>
    public static readonly string[] MeshAlpn = ["istio-peer-exchange", "istio", "istio-http/1.0", "istio-http/1.1", "istio-h2"];

    /// <summary>Mesh ALPN that says the connection carries HTTP.</summary>
    public static readonly string[] MeshHttpAlpn = ["istio-http/1.0", "istio-http/1.1", "istio-h2"];

    /// <summary>Mesh ALPN of a TCP connection.</summary>
    public static readonly string[] MeshTcpAlpn = ["istio-peer-exchange", "istio"];

    /// <summary>Under STRICT every TLS client is a mesh client: HTTP is told by any HTTP ALPN, Istio's or plain.</summary>
    public static readonly string[] HttpInTls = ["h2", "http/1.1", "http/1.0", "istio-h2", "istio-http/1.1", "istio-http/1.0"];

    /// <summary>What http_inspector reports for plaintext HTTP (Istio's plaintext HTTP chains match these).</summary>
    public static readonly string[] HttpInPlaintext = ["http/1.0", "http/1.1", "h2c"];

    /// <param name="filters">The chain's network filters, the terminal one last.</param>
    /// <param name="http">The filters are HTTP's: offer HTTP's ALPN on TLS (h2, http/1.1) rather than TCP's, match any destination port.</param>
    /// <param name="passthrough">The TCP filters (network RBAC, tcp_proxy to the application) for TLS that is not the mesh's (PERMISSIVE).</param>
    /// <param name="inboundPort">The port TCP chains answer on.</param>
    public static IEnumerable<FilterChain> Build(MutualTlsMode mode, IReadOnlyList<Filter> filters, bool http, IReadOnlyList<Filter> passthrough, uint inboundPort)
    {
        uint? port = http ? null : inboundPort;
        if (mode == MutualTlsMode.STRICT)
        {
            yield return Chain("inbound-mtls", Match(port, Tls), Mtls(http), filters);
            yield break;
        }
        if (AcceptsMtls(mode))
        {
            yield return Chain("inbound-mtls", Match(port, Tls, MeshAlpn), Mtls(http), filters);
            yield return Chain("inbound-tls-passthrough", Match(inboundPort, Tls), null, passthrough);
        }
        // DISABLE needs no transport match (nothing is sniffed, so server-first TCP protocols work);
        // PERMISSIVE's plaintext chain must not catch TLS.
        yield return Chain("inbound-plaintext", Match(port, mode == MutualTlsMode.DISABLE ? null : RawBuffer), null, filters);
    }

    /// <summary>
    /// A sniffed port's chains (Istio's protocol detection): per transport the mode allows, an HTTP chain matched
    /// by application protocol (ALPN inside mTLS, the sniffed request inside plaintext) and a TCP chain for the rest.
    /// </summary>
    public static IEnumerable<FilterChain> BuildSniffed(MutualTlsMode mode, IReadOnlyList<Filter> http, IReadOnlyList<Filter> tcp, uint destinationPort)
    {
        if (mode == MutualTlsMode.STRICT)
        {
            yield return Chain("inbound-mtls-http", Match(null, Tls, HttpInTls), Mtls(http: true), http);
            yield return Chain("inbound-mtls-tcp", Match(destinationPort, Tls), Mtls(http: false), tcp);
            yield break;
        }
        if (AcceptsMtls(mode))
        {
            yield return Chain("inbound-mtls-http", Match(null, Tls, MeshHttpAlpn), Mtls(http: true), http);
            yield return Chain("inbound-mtls-tcp", Match(destinationPort, Tls, MeshTcpAlpn), Mtls(http: false), tcp);
            yield return Chain("inbound-tls-passthrough", Match(destinationPort, Tls), null, tcp);
        }
        yield return Chain("inbound-plaintext-http", Match(null, mode == MutualTlsMode.DISABLE ? null : RawBuffer, HttpInPlaintext), null, http);
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
        if (destinationPort is null && transportProtocol is null && applicationProtocols is null) return null;
        var match = new FilterChainMatch();
        if (destinationPort is { } port) match.DestinationPort = port;
        if (transportProtocol is not null) match.TransportProtocol = transportProtocol;
        if (applicationProtocols is not null) match.ApplicationProtocols.AddRange(applicationProtocols);
        return match;
    }
}
