using System.Collections.Immutable;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;

namespace Rigging.Proxy.Routing;

/// <summary>
/// A route's hash policies (header, cookie, source IP, query parameter), evaluated in order; the hash that
/// consistent-hash balancers (ring hash, maglev) use for the request. Null when no policy yields a value.
/// </summary>
public sealed class HashPolicyModel(ImmutableArray<HashPolicyModel.Part> parts)
{
    public ImmutableArray<Part> Parts => parts;

    public ulong? Compute(HttpContext context)
    {
        ulong? hash = null;
        foreach (var part in parts)
        {
            var value = part.Kind switch
            {
                HashKind.Header => HeaderValue(context.Request, part.Name),
                HashKind.Cookie => context.Request.Cookies[part.Name],
                HashKind.SourceIp => context.Connection.RemoteIpAddress?.ToString(),
                HashKind.QueryParameter => context.Request.Query[part.Name].ToString(),
                _ => null,
            };
            if (string.IsNullOrEmpty(value)) continue;
            if (part.Rewrite is { } rewrite) value = rewrite.Pattern.Replace(value, rewrite.Substitution);
            var h = KeyHash.Of(value);
            // Envoy combines successive policies by rotating and xoring.
            hash = hash is { } previous ? ((previous << 1) | (previous >> 63)) ^ h : h;
            // terminal: once a policy has produced a hash, the rest are skipped.
            if (part.Terminal) break;
        }
        return hash;
    }

    private static string? HeaderValue(HttpRequest request, string name) => name switch
    {
        ":authority" => request.Host.Value,
        ":method" => request.Method,
        ":path" => request.Path.Value + request.QueryString.Value,
        _ => request.Headers[name].ToString(),
    };

    /// <summary>One hash_policy entry; Rewrite is the header policy's regex_rewrite (in .NET syntax).</summary>
    public readonly record struct Part(HashKind Kind, string Name, bool Terminal, (Regex Pattern, string Substitution)? Rewrite = null);

    public enum HashKind
    {
        Header,
        Cookie,
        SourceIp,
        QueryParameter,
    }
}
