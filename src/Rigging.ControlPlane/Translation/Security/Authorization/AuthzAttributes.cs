using System.Text.RegularExpressions;
using Envoy.Config.Rbac.V3;
using Envoy.Type.Matcher.V3;

namespace Rigging.ControlPlane.Translation.Security.Authorization;

/// <summary>
/// Istio's attribute generators: one AuthorizationPolicy attribute value → an Envoy permission (what is called) or
/// principal (who calls). An error means the attribute cannot be expressed (an HTTP-only attribute on a TCP chain,
/// a malformed address); the rule model decides what that means for the rule.
/// </summary>
internal static class AuthzAttributes
{
    public const string SourceIp = "source.ip";
    public const string RemoteIp = "remote.ip";
    public const string SourceNamespace = "source.namespace";
    public const string SourceServiceAccount = "source.serviceAccount";
    public const string SourceTrustDomain = "source.trustDomain";
    public const string SourcePrincipal = "source.principal";
    public const string RequestPrincipal = "request.auth.principal";
    public const string RequestAudiences = "request.auth.audiences";
    public const string RequestPresenter = "request.auth.presenter";
    public const string RequestHeaders = "request.headers";
    public const string RequestClaims = "request.auth.claims";
    public const string DestinationIp = "destination.ip";
    public const string DestinationPort = "destination.port";
    public const string ConnectionSni = "connection.sni";
    public const string Host = ":authority";
    public const string Method = ":method";
    public const string Path = "path-matcher";

    /// <summary>Attributes matched on the request (permissions); the rest are about the caller (principals).</summary>
    public static bool IsPermission(string key) => key is DestinationIp or DestinationPort or ConnectionSni or Host or Method or Path;

    /// <summary>Attributes whose values are turned into one matcher together (JWT ones), not one per value.</summary>
    public static bool IsExtended(string key) =>
        key is RequestPrincipal or RequestAudiences or RequestPresenter || key.StartsWith(RequestClaims, StringComparison.Ordinal);

    public static bool IsKnownCondition(string key) =>
        key is SourceIp or RemoteIp or SourceNamespace or SourceServiceAccount or SourceTrustDomain or SourcePrincipal
            or RequestPrincipal or RequestAudiences or RequestPresenter or DestinationIp or DestinationPort or ConnectionSni
        || (key.StartsWith(RequestHeaders, StringComparison.Ordinal) && Bracketed(key[RequestHeaders.Length..]) is not null)
        || (key.StartsWith(RequestClaims, StringComparison.Ordinal) && Claims(key[RequestClaims.Length..]) is not null);

    public static Permission? Permission(string key, string value, bool forTcp, Func<uint, uint> port, out string? error)
    {
        error = null;
        switch (key)
        {
            case DestinationIp:
                if (AuthzMatchers.Cidr(value) is { } cidr) return new Permission { DestinationIp = cidr };
                error = $"invalid destination.ip {value}";
                return null;
            case DestinationPort:
                if (AuthzMatchers.Port(value) is { } p) return new Permission { DestinationPort = port(p) };
                error = $"invalid port {value}";
                return null;
            case ConnectionSni:
                return new Permission { RequestedServerName = AuthzMatchers.String(value) };
        }
        if (forTcp)
        {
            error = $"\"{key}\" is HTTP only";
            return null;
        }
        return key switch
        {
            Host => new Permission { Header = AuthzMatchers.Header(Host, value, ignoreCase: true) },
            Method => new Permission { Header = AuthzMatchers.Header(Method, value) },
            _ => new Permission { UrlPath = AuthzMatchers.Path(value) },
        };
    }

    public static Principal? Principal(string key, string value, string policyNamespace, bool forTcp, out string? error)
    {
        error = null;
        switch (key)
        {
            case SourceIp or RemoteIp:
                if (AuthzMatchers.Cidr(value) is not { } cidr)
                {
                    error = $"invalid {key} {value}";
                    return null;
                }
                return key == SourceIp ? new Principal { DirectRemoteIp = cidr } : new Principal { RemoteIp = cidr };
            case SourceNamespace:
                var ns = string.Join(".*", value.Split('*').Select(Regex.Escape));
                return Authenticated(AuthzMatchers.Regex($".*/ns/{ns}/.*"));
            case SourceServiceAccount:
                var (account, accountNs) = value.IndexOf('/', StringComparison.Ordinal) is var slash and >= 0
                    ? (value[(slash + 1)..], value[..slash])
                    : (value, policyNamespace);
                return Authenticated(AuthzMatchers.Regex($"spiffe://.+/ns/{Regex.Escape(accountNs)}/(.+/|)sa/{Regex.Escape(account)}(/.+)?"));
            case SourceTrustDomain:
                if (value == "*") return Authenticated(new StringMatcher { Prefix = AuthzMatchers.SpiffePrefix });
                if (!value.Contains('*')) return Authenticated(new StringMatcher { Prefix = $"{AuthzMatchers.SpiffePrefix}{value}/" });
                var star = value.IndexOf('*', StringComparison.Ordinal);
                return Authenticated(AuthzMatchers.Regex($"spiffe://{Regex.Escape(value[..star])}[^/]*{Regex.Escape(value[(star + 1)..])}/.*"));
            case SourcePrincipal:
                return Authenticated(AuthzMatchers.String(value, AuthzMatchers.SpiffePrefix));
        }
        if (forTcp)
        {
            error = $"\"{key}\" is HTTP only";
            return null;
        }
        var header = Bracketed(key[RequestHeaders.Length..])!;
        return new Principal { Header = AuthzMatchers.Header(header, value) };
    }

    /// <summary>JWT attributes: all values at once (an or), read from the jwt_authn payload.</summary>
    public static Principal? Extended(string key, IReadOnlyList<string> values, bool forTcp, out string? error)
    {
        error = null;
        if (forTcp)
        {
            error = $"\"{key}\" is HTTP only";
            return null;
        }
        if (key == RequestAudiences) return new Principal { Metadata = AuthzMatchers.Claim(["aud"], values) };
        if (key == RequestPresenter) return new Principal { Metadata = AuthzMatchers.Claim(["azp"], values) };
        if (key != RequestPrincipal) return new Principal { Metadata = AuthzMatchers.Claim(Claims(key[RequestClaims.Length..])!, values) };
        var or = new List<Principal>(values.Count);
        foreach (var value in values) or.Add(IssuerAndSubject(value));
        return or.Count == 1 ? or[0] : new Principal { OrIds = new Principal.Types.Set { Ids = { or } } };
    }

    /// <summary>A request principal "iss/sub" (the last "/" splits them), each half with Istio's wildcard rules.</summary>
    private static Principal IssuerAndSubject(string value)
    {
        var any = AuthzMatchers.Regex(".+");
        var slash = value.LastIndexOf('/');
        var (iss, sub) = slash >= 0 ? (value[..slash], value[(slash + 1)..]) : (value, "");
        StringMatcher matchIss, matchSub;
        if (value == "*") (matchIss, matchSub) = (any, any.Clone());
        else if (value.StartsWith('*'))
        {
            (matchIss, matchSub) = slash >= 0
                ? (iss == "*" ? any : new StringMatcher { Suffix = iss[1..] }, new StringMatcher { Exact = sub })
                : (any, new StringMatcher { Suffix = value[1..] });
        }
        else if (value.EndsWith('*'))
        {
            (matchIss, matchSub) = slash >= 0
                ? (new StringMatcher { Exact = iss }, sub == "*" ? any : new StringMatcher { Prefix = sub[..^1] })
                : (new StringMatcher { Prefix = value[..^1] }, any);
        }
        else (matchIss, matchSub) = (new StringMatcher { Exact = iss }, new StringMatcher { Exact = sub });
        return new Principal
        {
            AndIds = new Principal.Types.Set
            {
                Ids = { new Principal { Metadata = AuthzMatchers.Claim("iss", matchIss) }, new Principal { Metadata = AuthzMatchers.Claim("sub", matchSub) } },
            },
        };
    }

    private static Principal Authenticated(StringMatcher name) =>
        new() { Authenticated = new Principal.Types.Authenticated { PrincipalName = name } };

    /// <summary>"[name]" → name; null when not bracketed.</summary>
    private static string? Bracketed(string s) => s.Length > 2 && s[0] == '[' && s[^1] == ']' ? s[1..^1] : null;

    /// <summary>"[a][b]" → [a, b]; "[a.b]" → [a.b] (Istio's nested claim syntax).</summary>
    private static List<string>? Claims(string s)
    {
        var claims = new List<string>();
        var i = 0;
        while (i < s.Length)
        {
            if (s[i] != '[') return null;
            var end = s.IndexOf(']', i);
            if (end < 0 || s.IndexOf('[', i + 1) is var next && next >= 0 && next < end) return null;
            claims.Add(s[(i + 1)..end]);
            i = end + 1;
        }
        return claims.Count > 0 ? claims : null;
    }
}
