using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Envoy.Config.Core.V3;
using Envoy.Config.Route.V3;
using Envoy.Type.Matcher.V3;

namespace Rigging.ControlPlane.Translation.Security.Authorization;

/// <summary>
/// Istio's value → Envoy matcher rules for AuthorizationPolicy: "*" is any non-empty value, a leading "*" a suffix,
/// a trailing "*" a prefix, anything else exact; hosts compare case-insensitively; JWT claims live in the jwt_authn
/// filter's metadata under "payload".
/// </summary>
internal static class AuthzMatchers
{
    public const string JwtFilter = "envoy.filters.http.jwt_authn";
    public const string JwtPayload = "payload";
    public const string SpiffePrefix = "spiffe://";

    public static StringMatcher String(string value, string prefix = "")
    {
        if (value == "*") return Regex(".+");
        if (value.StartsWith('*'))
            return prefix.Length == 0 ? new StringMatcher { Suffix = value[1..] } : Regex(prefix + ".*" + System.Text.RegularExpressions.Regex.Escape(value[1..]));
        if (value.EndsWith('*')) return new StringMatcher { Prefix = prefix + value[..^1] };
        return new StringMatcher { Exact = prefix + value };
    }

    public static StringMatcher Regex(string regex) => new() { SafeRegex = new RegexMatcher { Regex = regex } };

    public static HeaderMatcher Header(string name, string value, bool ignoreCase = false)
    {
        if (value == "*") return new HeaderMatcher { Name = name, PresentMatch = true };
        StringMatcher match;
        if (value.StartsWith('*')) match = new StringMatcher { Suffix = value[1..], IgnoreCase = ignoreCase };
        else if (value.EndsWith('*')) match = new StringMatcher { Prefix = value[..^1], IgnoreCase = ignoreCase };
        else match = new StringMatcher { Exact = value, IgnoreCase = ignoreCase };
        return new HeaderMatcher { Name = name, StringMatch = match };
    }

    /// <summary>
    /// A path: Istio's wildcards, or a template with {*} (one segment) and {**} (the rest, possibly empty) compiled to
    /// an anchored regex (Envoy's uri_template matcher means the same).
    /// </summary>
    public static PathMatcher Path(string value)
    {
        if (!value.Contains('{')) return new PathMatcher { Path = String(value) };
        var segments = value.Split('/');
        for (var i = 0; i < segments.Length; i++)
        {
            segments[i] = segments[i] switch
            {
                "{*}" => "[^/]+",
                "{**}" => ".*",
                var literal => System.Text.RegularExpressions.Regex.Escape(literal),
            };
        }
        return new PathMatcher { Path = Regex(string.Join('/', segments)) };
    }

    /// <summary>A JWT claim (nested names) matching any of the values, whether the claim is a string or a list.</summary>
    public static MetadataMatcher Claim(IEnumerable<string> claimPath, IReadOnlyList<string> values)
    {
        var any = StringOr(values);
        var matcher = new MetadataMatcher
        {
            Filter = JwtFilter,
            Value = new ValueMatcher
            {
                OrMatch = new OrMatcher
                {
                    ValueMatchers = { new ValueMatcher { ListMatch = new ListMatcher { OneOf = any } }, any.Clone() },
                },
            },
        };
        matcher.Path.Add(new MetadataMatcher.Types.PathSegment { Key = JwtPayload });
        foreach (var key in claimPath) matcher.Path.Add(new MetadataMatcher.Types.PathSegment { Key = key });
        return matcher;
    }

    /// <summary>A single string claim (iss, sub) matching one string matcher.</summary>
    public static MetadataMatcher Claim(string claim, StringMatcher value) => new()
    {
        Filter = JwtFilter,
        Path = { new MetadataMatcher.Types.PathSegment { Key = JwtPayload }, new MetadataMatcher.Types.PathSegment { Key = claim } },
        Value = new ValueMatcher { StringMatch = value },
    };

    private static ValueMatcher StringOr(IReadOnlyList<string> values)
    {
        if (values.Count == 1) return new ValueMatcher { StringMatch = String(values[0]) };
        var or = new OrMatcher();
        foreach (var value in values) or.ValueMatchers.Add(new ValueMatcher { StringMatch = String(value) });
        return new ValueMatcher { OrMatch = or };
    }

    /// <summary>"10.1.2.3" (a /32 or /128) or "10.1.0.0/16"; null when it is neither.</summary>
    public static CidrRange? Cidr(string value)
    {
        var slash = value.IndexOf('/', StringComparison.Ordinal);
        var address = slash < 0 ? value : value[..slash];
        if (!IPAddress.TryParse(address, out var ip)) return null;
        var max = ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32u : 128u;
        var bits = max;
        if (slash >= 0 && (!uint.TryParse(value.AsSpan(slash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out bits) || bits > max)) return null;
        return new CidrRange { AddressPrefix = address, PrefixLen = bits };
    }

    public static uint? Port(string value) =>
        uint.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port <= 65535 ? port : null;
}
