using System.Text.Json;
using System.Text.RegularExpressions;
using Rigging.Api.Model;
using Rigging.Api.Security;

namespace Rigging.Api.Validation;

/// <summary>
/// Istio's rules for RequestAuthentication: what it applies to, and each JWT rule's issuer, keys, token locations,
/// claim-to-header copies and fetch timeout.
/// </summary>
internal sealed partial class RequestAuthenticationValidator : SpecValidator<RequestAuthentication>
{
    private const int MaxJwtRules = 4096;
    private const int MaxSpaceDelimitedClaims = 64;
    private const int MaxJwksUriLength = 2048;
    private const string HeaderNamePattern = "^[-_A-Za-z0-9]+$";

    protected override void Validate(RequestAuthentication spec, Resource resource, ValidationContext context)
    {
        PolicyTargetRules.Validate(spec.Selector, spec.TargetRef, spec.TargetRefs, context);
        if (spec.JwtRules is not { } rules) return;
        var path = FieldPath.Spec.Child("jwtRules");
        if (rules.Count > MaxJwtRules) context.Error(path, $"Too many: {rules.Count}: must have at most {MaxJwtRules} items");
        for (var i = 0; i < rules.Count; i++)
        {
            if (rules[i] is { } rule) ValidateRule(rule, path.Index(i), context);
        }
    }

    private static void ValidateRule(JwtRule rule, FieldPath path, ValidationContext context)
    {
        ValueRules.NotEmpty(rule.Issuer, path.Child("issuer"), context);
        if (string.IsNullOrEmpty(rule.Issuer) && string.IsNullOrEmpty(rule.JwksUri))
            context.Required(path.Child("issuer"), "issuer or jwksUri must be set, so that tokens can be matched to this rule");
        ValueRules.NotEmpty(rule.Audiences, path.Child("audiences"), context);

        if (rule.JwksUri is not null && rule.Jwks is not null)
            context.Rule(path, "only one of jwks or jwksUri can be set: give the keys inline or where to fetch them, not both");
        ValidateJwksUri(rule.JwksUri, path.Child("jwksUri"), context);
        ValidateJwks(rule.Jwks, path.Child("jwks"), context);

        ValidateFromHeaders(rule.FromHeaders, path.Child("fromHeaders"), context);
        ValueRules.NotEmpty(rule.FromParams, path.Child("fromParams"), context);
        ValueRules.NotEmpty(rule.FromCookies, path.Child("fromCookies"), context);
        ValidateClaimsToHeaders(rule.OutputClaimToHeaders, path.Child("outputClaimToHeaders"), context);
        ValueRules.AtLeastOneMillisecond(rule.Timeout, path.Child("timeout"), context);

        var claimsPath = path.Child("spaceDelimitedClaims");
        ValueRules.NotEmpty(rule.SpaceDelimitedClaims, claimsPath, context);
        if (rule.SpaceDelimitedClaims is { Count: > MaxSpaceDelimitedClaims } claims)
            context.Error(claimsPath, $"Too many: {claims.Count}: must have at most {MaxSpaceDelimitedClaims} items");
    }

    private static void ValidateJwksUri(string? uri, FieldPath path, ValidationContext context)
    {
        if (uri is null) return;
        if (uri.Length == 0)
        {
            context.Schema(path, "should be at least 1 chars long");
            return;
        }
        if (uri.Length > MaxJwksUriLength) context.Schema(path, $"should be at most {MaxJwksUriLength} chars long");
        if (UrlRules.RequestUriScheme(uri) is not ("http" or "https"))
            context.Invalid(path, Printable(uri), "url must have scheme http:// or https://, such as https://example.com/.well-known/jwks.json");
    }

    /// <summary>Inline keys must be a JSON Web Key Set; private key material is needless there (only public keys
    /// verify signatures) and dangerous in configuration.</summary>
    private static void ValidateJwks(string? jwks, FieldPath path, ValidationContext context)
    {
        if (string.IsNullOrEmpty(jwks)) return;
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(jwks);
        }
        catch (JsonException e)
        {
            context.Invalid(path, Shorten(jwks), $"jwks parse error: not JSON ({e.Message}); give a JSON Web Key Set such as {{\"keys\": [...]}}");
            return;
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                context.Invalid(path, Shorten(jwks), "jwks parse error: a JSON Web Key Set is a JSON object such as {\"keys\": [...]}");
                return;
            }
            if (!root.TryGetProperty("keys", out var keys))
            {
                WarnPrivateKey(root, 0, path, context);
                return;
            }
            if (keys.ValueKind != JsonValueKind.Array)
            {
                context.Invalid(path, Shorten(jwks), "jwks parse error: \"keys\" must be an array of keys");
                return;
            }
            var index = 0;
            foreach (var key in keys.EnumerateArray()) WarnPrivateKey(key, index++, path, context);
        }
    }

    private static void WarnPrivateKey(JsonElement key, int index, FieldPath path, ValidationContext context)
    {
        if (key.ValueKind != JsonValueKind.Object) return;
        var symmetric = key.TryGetProperty("kty", out var kty) && kty.ValueKind == JsonValueKind.String && kty.GetString() == "oct";
        if (symmetric || key.TryGetProperty("d", out _))
            context.Warning(path, $"jwks key at index {index} contains private key material; only public keys are used for verification, so remove it");
    }

    /// <summary>Control characters (a stray "\b" from YAML escapes) shown as escapes, so the message shows them.</summary>
    private static string Printable(string text) =>
        string.Concat(text.Select(c => char.IsControl(c) ? $"\\u{(int)c:x4}" : c.ToString()));

    private static string Shorten(string text) => text.Length <= 40 ? text : text[..40] + "...";

    private static void ValidateFromHeaders(IReadOnlyList<JwtHeader>? headers, FieldPath path, ValidationContext context)
    {
        for (var i = 0; headers is not null && i < headers.Count; i++)
        {
            if (headers[i] is not { } header) continue;
            var namePath = path.Index(i).Child("name");
            if (header.Name is null) context.Required(namePath, "the header that carries the token, such as Authorization");
            else ValueRules.NotEmpty(header.Name, namePath, context);
        }
    }

    private static void ValidateClaimsToHeaders(IReadOnlyList<ClaimToHeader>? items, FieldPath path, ValidationContext context)
    {
        for (var i = 0; items is not null && i < items.Count; i++)
        {
            if (items[i] is not { } item) continue;
            var claimPath = path.Index(i).Child("claim");
            var headerPath = path.Index(i).Child("header");
            if (item.Claim is null) context.Required(claimPath, "the claim to copy");
            else ValueRules.NotEmpty(item.Claim, claimPath, context);
            if (item.Header is null) context.Required(headerPath, "the request header to copy the claim into");
            else if (item.Header.Length == 0) context.Schema(headerPath, "should be at least 1 chars long");
            else if (!HeaderName().IsMatch(item.Header))
                context.Schema(headerPath, $"should match '{HeaderNamePattern}' (letters, digits, '-' and '_'; pseudo-headers such as :authority cannot be set)");
        }
    }

    [GeneratedRegex(HeaderNamePattern)]
    private static partial Regex HeaderName();
}
