using System.Text.RegularExpressions;
using Rigging.Api.Security;

namespace Rigging.Api.Validation;

internal sealed partial class AuthorizationPolicyValidator
{
    private const string MatchOne = "{*}";
    private const string MatchAny = "{**}";

    /// <summary>Keys whose values are not checked further.</summary>
    private static readonly HashSet<string> PlainKeys = new(StringComparer.Ordinal)
    {
        "source.namespace", "source.principal", "request.auth.principal", "request.auth.audiences",
        "request.auth.presenter", "connection.sni",
    };

    /// <summary>Keys that name the peer or the request's identity, which a CUSTOM authorizer cannot use.</summary>
    private static bool IsIdentityKey(string key) =>
        key is "source.namespace" or "source.serviceAccount" or "source.trustDomain" or "source.principal"
        || key.StartsWith("request.auth.", StringComparison.Ordinal);

    private static void ValidateCondition(Condition condition, FieldPath path, bool custom, ValidationContext context)
    {
        if (string.IsNullOrEmpty(condition.Key))
        {
            context.Required(path.Child("key"), "the attribute to test, such as request.headers[x-user] or source.ip");
            return;
        }
        var key = condition.Key;
        if (condition.Values is not { Count: > 0 } && condition.NotValues is not { Count: > 0 })
        {
            context.Required(path.Child("values"), $"at least one of values or notValues must be set for key {key}");
            return;
        }
        if (custom && IsIdentityKey(key))
            context.Invalid(path.Child("key"), key, "is not supported with action CUSTOM: the external authorizer runs before peer and request authentication");
        if (KeyProblem(key) is { } keyProblem)
        {
            context.Invalid(path.Child("key"), key, keyProblem);
            return;
        }
        ValidateValues(key, condition.Values, path.Child("values"), context);
        ValidateValues(key, condition.NotValues, path.Child("notValues"), context);
    }

    private static string? KeyProblem(string key)
    {
        if (key.StartsWith("request.headers", StringComparison.Ordinal)
            || key.StartsWith("request.auth.claims", StringComparison.Ordinal)
            || key.StartsWith("experimental.envoy.filters.", StringComparison.Ordinal))
            return IsMapKey(key) ? null : "should have the form name[key], such as request.headers[x-user]";
        if (PlainKeys.Contains(key) || key is "source.ip" or "remote.ip" or "destination.ip" or "destination.port"
            or "source.serviceAccount" or "source.trustDomain")
            return null;
        if (key == "destination.namespace") return "this attribute is replaced by the policy's metadata.namespace";
        if (key.StartsWith("destination.labels", StringComparison.Ordinal)) return "this attribute is replaced by the workload selector";
        if (key is "destination.name" or "destination.user") return "this attribute was only supported in v1alpha1";
        return "unknown attribute; see https://istio.io/latest/docs/reference/config/security/conditions/";
    }

    private static bool IsMapKey(string key)
    {
        var open = key.IndexOf('[');
        return key.EndsWith(']') && open > 0 && open < key.Length - 2;
    }

    private static void ValidateValues(string key, IReadOnlyList<string>? values, FieldPath path, ValidationContext context)
    {
        if (values is null) return;
        switch (key)
        {
            case "source.ip" or "remote.ip" or "destination.ip":
                IpBlocks(values, path, context);
                break;
            case "destination.port":
                Ports(values, path, context);
                break;
            case "source.serviceAccount":
                ServiceAccounts(values, path, context);
                break;
            case "source.trustDomain":
                if (!NotEmpty(values, path, context)) break;
                for (var i = 0; i < values.Count; i++)
                {
                    if (WildcardProblem(values[i]) is { } problem) context.Invalid(path.Index(i), values[i], problem);
                }
                break;
            default:
                NotEmpty(values, path, context);
                break;
        }
    }

    /// <summary>Paths may use the URI templates {*} (one segment) and {**} (the rest, last only); around a template,
    /// every segment must be a plain RFC 3986 path literal.</summary>
    private static void Paths(IReadOnlyList<string>? values, FieldPath path, ValidationContext context)
    {
        if (!NotEmpty(values, path, context)) return;
        for (var i = 0; values is not null && i < values.Count; i++)
        {
            if (PathTemplateProblem(values[i]) is { } problem) context.Invalid(path.Index(i), values[i], problem);
        }
    }

    private static string? PathTemplateProblem(string value)
    {
        var templated = value.Contains(MatchOne, StringComparison.Ordinal) || value.Contains(MatchAny, StringComparison.Ordinal);
        var sawMatchAny = false;
        foreach (var segment in value.Trim('/').Split('/'))
        {
            if (segment is MatchOne or MatchAny)
            {
                if (sawMatchAny) return "{**} must be the last operator of a path template";
                sawMatchAny = segment == MatchAny;
                continue;
            }
            if (segment.Contains('{') || segment.Contains('}')) return "'{' and '}' are only allowed in the templates {*} and {**}";
            if (templated && !PathLiteral().IsMatch(segment))
                return $"segment \"{segment}\" of a path template must be a plain path literal (letters, digits and -._~%!$&'()+,;:@=)";
        }
        return null;
    }

    [GeneratedRegex("^[a-zA-Z0-9-._~%!$&'()+,;:@=]+$")]
    private static partial Regex PathLiteral();
}
