using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Rigging.Proxy.Security;

namespace Rigging.Proxy.Http.Filters.Jwt;

/// <summary>What verified tokens do to the request: payload and claim headers, token removal, the request principal.</summary>
public static class JwtOutputs
{
    public static void Apply(HttpContext context, IReadOnlyList<VerifiedJwt> verified)
    {
        var headers = context.Request.Headers;
        for (var i = 0; i < verified.Count; i++)
        {
            var (token, provider, jwt) = verified[i];
            if (provider.ForwardPayloadHeader is { } payloadHeader) headers[payloadHeader] = jwt.EncodedPayload.ToString();
            foreach (var claim in provider.ClaimToHeaders)
            {
                if (ClaimText(jwt.Claims, claim.Claim) is { } value) headers[claim.Header] = value;
            }
            if (!provider.Forward) Remove(context.Request, token);
        }
        var first = verified[0].Jwt;
        var issuer = first.Issuer ?? "";
        var subject = first.Subject ?? "";
        context.Features.Set(new RequestPrincipal($"{issuer}/{subject}", issuer, subject, first.Audiences, first.Presenter, first.Claims));
    }

    /// <summary>A claim as a header value: strings as they are, numbers and booleans as JSON writes them, lists joined with commas; objects and anything with control characters are skipped.</summary>
    public static string? ClaimText(JsonElement claims, string name)
    {
        if (!TryClaim(claims, name, out var value)) return null;
        string? text;
        if (value.ValueKind == JsonValueKind.Array)
        {
            var joined = new StringBuilder();
            foreach (var item in value.EnumerateArray())
            {
                if (Scalar(item) is not { } part) continue;
                if (joined.Length > 0) joined.Append(',');
                joined.Append(part);
            }
            text = joined.ToString();
        }
        else text = Scalar(value);
        if (text is null) return null;
        foreach (var c in text)
        {
            if (char.IsControl(c)) return null;
        }
        return text;
    }

    private static string? Scalar(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString(),
        JsonValueKind.Number => value.TryGetInt64(out var n) ? n.ToString(CultureInfo.InvariantCulture) : value.GetRawText(),
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        _ => null,
    };

    /// <summary>The claim named exactly, else the dotted path through nested objects (Envoy's nested claim names).</summary>
    private static bool TryClaim(JsonElement claims, string name, out JsonElement value)
    {
        if (claims.ValueKind != JsonValueKind.Object) return Fail(out value);
        if (claims.TryGetProperty(name, out value)) return true;
        var current = claims;
        foreach (var part in name.Split('.'))
        {
            if (current.ValueKind != JsonValueKind.Object || !current.TryGetProperty(part, out current)) return Fail(out value);
        }
        value = current;
        return true;
    }

    private static bool Fail(out JsonElement value)
    {
        value = default;
        return false;
    }

    private static void Remove(HttpRequest request, ExtractedJwt token)
    {
        switch (token.Kind)
        {
            case JwtLocationKind.Header:
                request.Headers.Remove(token.Name);
                break;
            case JwtLocationKind.Param:
                request.QueryString = WithoutParam(request.QueryString, token.Name);
                break;
            case JwtLocationKind.Cookie:
                // Envoy leaves cookies in place (it cannot rewrite one cookie of a Cookie header safely); so do we.
                break;
        }
    }

    /// <summary>The query without every <paramref name="name"/>=... pair, other pairs kept byte for byte.</summary>
    public static QueryString WithoutParam(QueryString query, string name)
    {
        var raw = query.Value;
        if (string.IsNullOrEmpty(raw)) return query;
        var kept = new StringBuilder(raw.Length);
        foreach (var pair in raw.AsSpan(1).Split('&'))
        {
            var segment = raw.AsSpan(1)[pair];
            var equals = segment.IndexOf('=');
            var key = equals < 0 ? segment : segment[..equals];
            if (string.Equals(Uri.UnescapeDataString(key.ToString().Replace('+', ' ')), name, StringComparison.Ordinal)) continue;
            kept.Append(kept.Length == 0 ? '?' : '&').Append(segment);
        }
        return kept.Length == 0 ? QueryString.Empty : new QueryString(kept.ToString());
    }
}
