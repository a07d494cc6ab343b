using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Net.Http.Headers;

namespace Rigging.Proxy.Http.Validation;

/// <summary>
/// Request checks that run before routing and forwarding, for what Kestrel's parser lets through but an upstream
/// might read differently (request smuggling / desync), with Envoy's semantics:
/// - the request target has no whitespace or control characters (a bare CR in it reached the upstream);
/// - header names are tokens, header values carry no CR, LF or NUL (HTTP/2 and HTTP/3 frames are not line-framed);
/// - Transfer-Encoding and Content-Length together are refused (Envoy without allow_chunked_length);
/// - Transfer-Encoding is a list of token codings in which chunked appears exactly once, last
///   (Kestrel accepts "chunked" twice as long as the last one is chunked).
/// A refused request is answered 400 and its connection closed: after a framing doubt nothing more on that
/// connection can be trusted.
/// </summary>
public static class HttpRequestValidator
{
    /// <summary>Null when the request may go on, else why it may not (for logs and tests).</summary>
    public static string? Validate(HttpContext context)
    {
        var request = context.Request;
        var target = context.Features.Get<IHttpRequestFeature>()?.RawTarget;
        if (target is not null && !IsCleanTarget(target)) return "invalid request target";

        foreach (var header in request.Headers)
        {
            if (!IsToken(header.Key, allowPseudo: true)) return "invalid header name";
            foreach (var value in header.Value)
            {
                if (value is not null && value.AsSpan().IndexOfAny('\r', '\n', '\0') >= 0) return "invalid header value";
            }
        }

        var te = request.Headers[HeaderNames.TransferEncoding];
        if (HttpProtocol.IsHttp2(request.Protocol) || HttpProtocol.IsHttp3(request.Protocol))
        {
            // RFC 9113 8.2.2: connection-specific fields make the request malformed; forwarded to an HTTP/1.1
            // upstream they would frame or upgrade it (downgrade smuggling). Kestrel refuses some, not all.
            if (te.Count > 0 || request.Headers.ContainsKey(HeaderNames.Connection) || request.Headers.ContainsKey(HeaderNames.KeepAlive)
                || request.Headers.ContainsKey(HeaderNames.ProxyConnection) || request.Headers.ContainsKey(HeaderNames.Upgrade))
                return "connection-specific header in HTTP/2";
            var teHeader = request.Headers[HeaderNames.TE];
            if (teHeader.Count > 1 || (teHeader.Count == 1 && !string.Equals(teHeader[0], "trailers", StringComparison.OrdinalIgnoreCase)))
                return "te other than trailers in HTTP/2";
            return null;
        }
        if (te.Count == 0) return null;
        if (!HttpProtocol.IsHttp11(request.Protocol)) return "transfer-encoding outside HTTP/1.1";
        if (request.Headers.ContentLength is not null || request.Headers[HeaderNames.ContentLength].Count > 0)
            return "both transfer-encoding and content-length";
        return ValidTransferEncoding(te) ? null : "invalid transfer-encoding";
    }

    /// <summary>Answers 400 and makes Kestrel close the connection after the response.</summary>
    public static Task RejectAsync(HttpContext context)
    {
        context.Response.StatusCode = StatusCodes.Status400BadRequest;
        // HTTP/2 has no Connection header: the 400 ends just that stream, which carries nothing else.
        if (!HttpProtocol.IsHttp2(context.Request.Protocol) && !HttpProtocol.IsHttp3(context.Request.Protocol))
            context.Response.Headers.Connection = "close";
        context.Response.ContentLength = 0;
        return Task.CompletedTask;
    }

    /// <summary>transfer-coding list: every element a token (optionally ;params), "chunked" exactly once and last.</summary>
    internal static bool ValidTransferEncoding(Microsoft.Extensions.Primitives.StringValues values)
    {
        var chunkedSeen = false;
        var lastWasChunked = false;
        foreach (var value in values)
        {
            var rest = (value ?? "").AsSpan();
            while (true)
            {
                var comma = rest.IndexOf(',');
                var element = (comma < 0 ? rest : rest[..comma]).Trim(" \t");
                rest = comma < 0 ? [] : rest[(comma + 1)..];
                if (!element.IsEmpty)
                {
                    var semicolon = element.IndexOf(';');
                    var coding = (semicolon < 0 ? element : element[..semicolon]).TrimEnd(" \t");
                    if (!IsToken(coding, allowPseudo: false)) return false;
                    var chunked = coding.Equals("chunked", StringComparison.OrdinalIgnoreCase);
                    if (chunked && chunkedSeen) return false;
                    chunkedSeen |= chunked;
                    lastWasChunked = chunked;
                }
                if (comma < 0) break;
            }
        }
        return lastWasChunked;
    }

    /// <summary>origin-form, absolute-form or asterisk: visible ASCII and obs-text, no whitespace or controls.</summary>
    internal static bool IsCleanTarget(ReadOnlySpan<char> target)
    {
        if (target.IsEmpty) return false;
        foreach (var c in target)
        {
            if (c <= ' ' || c == '\x7f') return false;
        }
        return true;
    }

    /// <summary>RFC 9110 token: 1*tchar.</summary>
    internal static bool IsToken(ReadOnlySpan<char> name, bool allowPseudo)
    {
        if (name.IsEmpty) return false;
        if (allowPseudo && name[0] == ':') name = name[1..];
        if (name.IsEmpty) return false;
        foreach (var c in name)
        {
            if (c >= 0x80 || !IsTchar(c)) return false;
        }
        return true;
    }

    private static bool IsTchar(char c) => c switch
    {
        >= 'a' and <= 'z' or >= 'A' and <= 'Z' or >= '0' and <= '9' => true,
        '!' or '#' or '$' or '%' or '&' or '\'' or '*' or '+' or '-' or '.' or '^' or '_' or '`' or '|' or '~' => true,
        _ => false,
    };
}
