using System.Collections.Frozen;

namespace Rigging.Proxy.Http.Forwarding;

/// <summary>
/// Headers that describe one connection, not the request (RFC 9110 §7.6.1), which a proxy must not forward;
/// plus those HTTP/2 forbids. TE is the exception Envoy makes: "te: trailers" is kept for gRPC.
/// </summary>
internal static class HopByHopHeaders
{
    public static readonly FrozenSet<string> Names = new[]
    {
        "connection", "keep-alive", "proxy-connection", "transfer-encoding", "upgrade", "te", "trailer",
        "proxy-authenticate", "proxy-authorization", "http2-settings", "host",
    }.ToFrozenSet(StringComparer.OrdinalIgnoreCase);

    public static bool IsHopByHop(string name) => Names.Contains(name);
}
