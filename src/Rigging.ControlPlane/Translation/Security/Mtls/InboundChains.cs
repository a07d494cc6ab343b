using Envoy.Config.Listener.V3;
using Rigging.Api.Security;

namespace Rigging.ControlPlane.Translation.Security.Mtls;

/// <summary>
/// A sidecar inbound listener's filter chains for a PeerAuthentication mode, as Istio builds them:
/// STRICT → one chain matching transport_protocol "tls" with the mesh server TLS (client certificate required,
/// ROOTCA validation), so a plaintext connection matches no chain and is closed; PERMISSIVE → that chain plus a
/// plaintext one ("raw_buffer"), the proxy choosing by sniffing the first bytes; DISABLE → plaintext only.
/// </summary>
internal static class InboundChains
{
    public const string Tls = "tls";
    public const string RawBuffer = "raw_buffer";

    public static IEnumerable<FilterChain> Build(MutualTlsMode mode, Filter terminal, bool http)
    {
        if (mode is MutualTlsMode.STRICT or MutualTlsMode.PERMISSIVE or MutualTlsMode.UNSET)
        {
            yield return new FilterChain
            {
                Name = "inbound-mtls",
                FilterChainMatch = new FilterChainMatch { TransportProtocol = Tls },
                TransportSocket = TlsContexts.Socket(TlsContexts.IstioMutualDownstream(http)),
                Filters = { terminal },
            };
        }
        if (mode == MutualTlsMode.STRICT) yield break;
        yield return new FilterChain
        {
            Name = "inbound-plaintext",
            // DISABLE needs no match at all; PERMISSIVE's plaintext chain must not catch TLS.
            FilterChainMatch = mode == MutualTlsMode.DISABLE ? null : new FilterChainMatch { TransportProtocol = RawBuffer },
            Filters = { terminal },
        };
    }
}
