using System.Collections.Immutable;
using Microsoft.AspNetCore.Http;

namespace Rigging.Proxy.Http.Filters.Jwt;

/// <summary>
/// One compiled JwtProvider: who issues its tokens, which audiences it accepts, where its keys are, where its
/// tokens are found and what a verified token produces (forwarding, payload header, claim headers).
/// </summary>
public sealed record JwtProviderModel(
    string Name,
    string Issuer,
    ImmutableArray<string> Audiences,
    IJwksSource Keys,
    bool Forward,
    ImmutableArray<JwtHeaderLocation> FromHeaders,
    ImmutableArray<string> FromParams,
    ImmutableArray<string> FromCookies,
    string? ForwardPayloadHeader,
    TimeSpan ClockSkew,
    ImmutableArray<JwtClaimHeader> ClaimToHeaders)
{
    /// <summary>Envoy's default clock skew (clock_skew_seconds 0 means 60).</summary>
    public static readonly TimeSpan DefaultClockSkew = TimeSpan.FromSeconds(60);

    /// <summary>Envoy's default locations when no from_* is configured: Authorization: Bearer, then ?access_token=.</summary>
    public static readonly ImmutableArray<JwtHeaderLocation> DefaultHeaders = [new("authorization", "Bearer ")];

    public static readonly ImmutableArray<string> DefaultParams = ["access_token"];

    /// <summary>Adds every token this provider's locations hold, in Envoy's order (headers, params, cookies), skipping duplicates; the list is made on the first token found.</summary>
    public void Extract(HttpRequest request, ref List<ExtractedJwt>? into)
    {
        foreach (var header in FromHeaders)
        {
            var values = request.Headers[header.Name];
            if (values.Count == 0) continue;
            var token = AfterPrefix(values[0] ?? "", header);
            if (token is not null) Add(ref into, new ExtractedJwt(token, JwtLocationKind.Header, header.Name));
        }
        if (FromParams.Length > 0 && request.QueryString.HasValue)
        {
            var query = request.Query;
            foreach (var name in FromParams)
            {
                var value = query[name];
                if (value.Count > 0 && !string.IsNullOrEmpty(value[0])) Add(ref into, new ExtractedJwt(value[0]!, JwtLocationKind.Param, name));
            }
        }
        if (FromCookies.Length > 0 && request.Headers.Cookie.Count > 0)
        {
            var cookies = request.Cookies;
            foreach (var name in FromCookies)
            {
                if (cookies.TryGetValue(name, out var value) && !string.IsNullOrEmpty(value)) Add(ref into, new ExtractedJwt(value, JwtLocationKind.Cookie, name));
            }
        }
    }

    /// <summary>Whether this provider has an audience list that <paramref name="audiences"/> satisfies (any of; none configured = any).</summary>
    public static bool AudiencesAllowed(ImmutableArray<string> allowed, IReadOnlyList<string> audiences)
    {
        if (allowed.IsDefaultOrEmpty) return true;
        foreach (var audience in audiences)
        {
            var normalized = NormalizeAudience(audience);
            foreach (var candidate in allowed)
            {
                if (string.Equals(candidate, normalized, StringComparison.Ordinal)) return true;
            }
        }
        return false;
    }

    /// <summary>Envoy compares audiences without an http:// or https:// scheme and without a trailing slash.</summary>
    public static string NormalizeAudience(string audience)
    {
        var span = audience.AsSpan();
        if (span.StartsWith("https://", StringComparison.Ordinal)) span = span[8..];
        else if (span.StartsWith("http://", StringComparison.Ordinal)) span = span[7..];
        if (span.EndsWith("/")) span = span[..^1];
        return span.Length == audience.Length ? audience : span.ToString();
    }

    private static void Add(ref List<ExtractedJwt>? into, ExtractedJwt token)
    {
        into ??= new List<ExtractedJwt>(1);
        foreach (var existing in into)
        {
            if (string.Equals(existing.Token, token.Token, StringComparison.Ordinal)) return;
        }
        into.Add(token);
    }

    /// <summary>The token after the prefix, cut at the first character that cannot be part of a JWS (Envoy's extractor); null when the prefix is absent.</summary>
    private static string? AfterPrefix(string value, JwtHeaderLocation header)
    {
        var start = 0;
        if (header.Prefix.Length > 0)
        {
            // The Authorization scheme is case-insensitive (RFC 7235); other prefixes are matched as configured.
            var comparison = string.Equals(header.Name, "authorization", StringComparison.OrdinalIgnoreCase) ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;
            var at = value.IndexOf(header.Prefix, comparison);
            if (at < 0) return null;
            start = at + header.Prefix.Length;
        }
        var end = start;
        while (end < value.Length && IsTokenChar(value[end])) end++;
        return end == start ? null : value[start..end];
    }

    private static bool IsTokenChar(char c) =>
        c is (>= 'A' and <= 'Z') or (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-' or '_' or '.' or '=' or '+' or '/';
}
