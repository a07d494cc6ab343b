using System.Collections.Frozen;

namespace Rigging.Proxy.Http.Forwarding;

/// <summary>
/// Headers that describe one connection, not the request (RFC 9110 §7.6.1), which a proxy must not forward;
/// plus those HTTP/2 forbids. TE is the exception Envoy makes: "te: trailers" is kept for gRPC. Headers a
/// Connection header names are hop-by-hop too (RFC 9110 §7.6.1: "a proxy ... MUST remove ... any header
/// fields listed in the Connection header field").
/// </summary>
internal static class HopByHopHeaders
{
    public static readonly FrozenSet<string> Names = new[]
    {
        "connection", "keep-alive", "proxy-connection", "transfer-encoding", "upgrade", "te", "trailer",
        "proxy-authenticate", "proxy-authorization", "http2-settings", "host",
    }.ToFrozenSet(StringComparer.OrdinalIgnoreCase);

    public static bool IsHopByHop(string name) => Names.Contains(name);

    /// <summary>True when <paramref name="name"/> is one of the comma-separated tokens of the Connection header values.</summary>
    public static bool IsListedIn(Microsoft.Extensions.Primitives.StringValues connection, string name)
    {
        foreach (var value in connection)
        {
            if (value is not null && Lists(value, name)) return true;
        }
        return false;
    }

    /// <inheritdoc cref="IsListedIn(Microsoft.Extensions.Primitives.StringValues, string)"/>
    public static bool IsListedIn(System.Net.Http.Headers.HeaderStringValues connection, string name)
    {
        foreach (var value in connection)
        {
            if (Lists(value, name)) return true;
        }
        return false;
    }

    private static bool Lists(ReadOnlySpan<char> rest, string name)
    {
        while (rest.Length > 0)
        {
            var comma = rest.IndexOf(',');
            var token = (comma < 0 ? rest : rest[..comma]).Trim();
            if (token.Equals(name, StringComparison.OrdinalIgnoreCase)) return true;
            if (comma < 0) break;
            rest = rest[(comma + 1)..];
        }
        return false;
    }
}
