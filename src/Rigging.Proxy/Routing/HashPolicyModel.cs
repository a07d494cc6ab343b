using System.Collections.Immutable;
using Microsoft.AspNetCore.Http;

namespace Rigging.Proxy.Routing;

/// <summary>
/// A route's hash policies (header, cookie, source IP, query parameter), evaluated in order; the hash that
/// consistent-hash balancers (ring hash, maglev) use for the request. Null when no policy yields a value.
/// </summary>
public sealed class HashPolicyModel(ImmutableArray<HashPolicyModel.Part> parts)
{
    public ulong? Compute(HttpContext context)
    {
        ulong? hash = null;
        foreach (var part in parts)
        {
            var value = part.Kind switch
            {
                HashKind.Header => context.Request.Headers[part.Name].ToString(),
                HashKind.Cookie => context.Request.Cookies[part.Name],
                HashKind.SourceIp => context.Connection.RemoteIpAddress?.ToString(),
                HashKind.QueryParameter => context.Request.Query[part.Name].ToString(),
                _ => null,
            };
            if (string.IsNullOrEmpty(value)) continue;
            var h = KeyHash.Of(value);
            // Envoy combines successive policies by rotating and xoring.
            hash = hash is { } previous ? ((previous << 1) | (previous >> 63)) ^ h : h;
            if (part.Terminal) break;
        }
        return hash;
    }

    public readonly record struct Part(HashKind Kind, string Name, bool Terminal);

    public enum HashKind
    {
        Header,
        Cookie,
        SourceIp,
        QueryParameter,
    }
}
