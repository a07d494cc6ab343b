using Envoy.Config.Route.V3;
using Envoy.Type.Matcher.V3;
using Rigging.Api.Networking;

namespace Rigging.ControlPlane.Translation;

/// <summary>Istio's HTTPMatchRequest → Envoy's RouteMatch (uri, method, authority, scheme, headers, query).</summary>
internal static class MatchTranslator
{
    public static RouteMatch Translate(HttpMatchRequest? match)
    {
        var route = new RouteMatch();
        var uri = match?.Uri;
        if (uri?.Exact is { } exact) route.Path = exact;
        else if (uri?.Regex is { } regex) route.SafeRegex = new RegexMatcher { Regex = regex };
        else route.Prefix = uri?.Prefix ?? "/";
        if (match?.IgnoreUriCase is true) route.CaseSensitive = false;
        if (match is null) return route;

        // Envoy exposes the method, authority and scheme as pseudo-headers.
        if (match.Method is { } method) route.Headers.Add(Header(":method", method, invert: false));
        if (match.Authority is { } authority) route.Headers.Add(Header(":authority", authority, invert: false));
        if (match.Scheme is { } scheme) route.Headers.Add(Header(":scheme", scheme, invert: false));
        foreach (var (name, value) in match.Headers ?? new Dictionary<string, StringMatch>()) route.Headers.Add(Header(name, value, invert: false));
        foreach (var (name, value) in match.WithoutHeaders ?? new Dictionary<string, StringMatch>()) route.Headers.Add(Header(name, value, invert: true));
        foreach (var (name, value) in match.QueryParams ?? new Dictionary<string, StringMatch>())
        {
            var query = new QueryParameterMatcher { Name = name };
            if (value is null || (value.Exact is null && value.Prefix is null && value.Regex is null)) query.PresentMatch = true;
            else query.StringMatch = String(value);
            route.QueryParameters.Add(query);
        }
        return route;
    }

    /// <summary>An empty StringMatch ({}) means "present", as Istio reads it.</summary>
    private static HeaderMatcher Header(string name, StringMatch? value, bool invert)
    {
        var header = new HeaderMatcher { Name = name, InvertMatch = invert };
        if (value is null || (value.Exact is null && value.Prefix is null && value.Regex is null)) header.PresentMatch = true;
        else header.StringMatch = String(value);
        return header;
    }

    public static StringMatcher String(StringMatch value) =>
        value.Exact is { } exact ? new StringMatcher { Exact = exact }
        : value.Prefix is { } prefix ? new StringMatcher { Prefix = prefix }
        : new StringMatcher { SafeRegex = new RegexMatcher { Regex = value.Regex ?? ".*" } };
}
