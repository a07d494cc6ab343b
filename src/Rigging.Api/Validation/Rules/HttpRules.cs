using System.Text.RegularExpressions;
using Rigging.Api.Networking;

namespace Rigging.Api.Validation;

/// <summary>HTTP-level rules shared by routes, CORS and header operations.</summary>
internal static partial class HttpRules
{
    private static readonly HashSet<string> RetryPolicies = new(StringComparer.Ordinal)
    {
        "5xx", "gateway-error", "reset", "reset-before-request", "connect-failure", "envoy-ratelimited", "retriable-4xx",
        "refused-stream", "retriable-status-codes", "retriable-headers", "http3-post-connect-failure",
        "cancelled", "deadline-exceeded", "internal", "resource-exhausted", "unavailable",
    };

    private static readonly HashSet<string> Methods = new(StringComparer.Ordinal)
    {
        "GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH",
    };

    /// <summary>An HTTP header name (an RFC 7230 token); pseudo-headers such as :authority are not names a user sets.</summary>
    public static bool IsHeaderName(string name) => name.Length > 0 && HeaderToken().IsMatch(name);

    public static bool IsMethod(string method) => Methods.Contains(method);

    /// <summary>Envoy's retry_on conditions, and HTTP status codes, comma separated.</summary>
    public static void RetryOn(string retryOn, FieldPath path, ValidationContext context)
    {
        foreach (var raw in retryOn.Split(','))
        {
            var policy = raw.Trim();
            if (RetryPolicies.Contains(policy)) continue;
            if (int.TryParse(policy, System.Globalization.CultureInfo.InvariantCulture, out var code) && code is >= 100 and <= 599) continue;
            context.Invalid(path, retryOn,
                $"\"{policy}\" is not a valid retryOn policy; use Envoy's conditions (5xx, gateway-error, connect-failure, refused-stream, retriable-4xx, reset, ...), gRPC ones (cancelled, deadline-exceeded, internal, resource-exhausted, unavailable) or HTTP status codes");
        }
    }

    /// <summary>A string match sets at most one of exact, prefix and regex; a regex must compile.</summary>
    public static void StringMatch(StringMatch? match, FieldPath path, ValidationContext context)
    {
        if (match is null) return;
        var set = (match.Exact is not null ? 1 : 0) + (match.Prefix is not null ? 1 : 0) + (match.Regex is not null ? 1 : 0);
        if (set > 1) context.Rule(path, "only one of exact, prefix or regex may be set");
        if (match.Regex is { } regex) Regex(regex, path.Child("regex"), context);
    }

    /// <summary>A regular expression (Envoy uses RE2; this checks the syntax both share) of at most 1024 characters.</summary>
    public static void Regex(string pattern, FieldPath path, ValidationContext context)
    {
        if (pattern.Length == 0)
        {
            context.Schema(path, "should be at least 1 chars long");
            return;
        }
        if (pattern.Length > 1024)
        {
            context.Invalid(path, pattern[..32] + "...", "regex is longer than 1024 characters");
            return;
        }
        try
        {
            // The proxy's engine: linear time and, like RE2, no backreferences or lookarounds.
            _ = new Regex(pattern, RegexOptions.NonBacktracking, TimeSpan.FromSeconds(1));
        }
        catch (ArgumentException e)
        {
            context.Invalid(path, pattern, $"\"{pattern}\" is not a valid regex: {e.Message}");
        }
        catch (NotSupportedException e)
        {
            context.Invalid(path, pattern, $"\"{pattern}\" is not a valid regex: RE2 has no backreferences or lookarounds ({e.Message})");
        }
    }

    public static void HeaderOperations(HeaderOperations? operations, FieldPath path, ValidationContext context)
    {
        if (operations is null) return;
        foreach (var (name, _) in operations.Set ?? new Dictionary<string, string>()) HeaderName(name, path.Child("set").Key(name), context, modifying: true);
        foreach (var (name, _) in operations.Add ?? new Dictionary<string, string>()) HeaderName(name, path.Child("add").Key(name), context, modifying: true);
        var remove = operations.Remove ?? [];
        for (var i = 0; i < remove.Count; i++) HeaderName(remove[i], path.Child("remove").Index(i), context, modifying: true);
    }

    public static void HeaderName(string? name, FieldPath path, ValidationContext context, bool modifying = false)
    {
        if (name is null) return;
        if (!IsHeaderName(name))
        {
            context.Invalid(path, name, "invalid header name: a header name is a token of letters, digits and !#$%&'*+-.^_`|~");
            return;
        }
        if (modifying && name.Equals("host", StringComparison.OrdinalIgnoreCase))
            context.Invalid(path, name, "the host header cannot be set, added or removed here; use rewrite.authority");
    }

    [GeneratedRegex(@"^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$")]
    private static partial Regex HeaderToken();
}
