using System.Collections.Immutable;
using Envoy.Config.Route.V3;
using Envoy.Type.Matcher.V3;
using Rigging.Proxy.Routing;

namespace Rigging.Proxy.Config;

internal static partial class RouteCompiler
{
    private static RouteMatcher Match(RouteMatch match, string where)
    {
        // case_sensitive applies to prefix, path and path_separated_prefix; Envoy ignores it for safe_regex.
        var ignoreCase = match.CaseSensitive is false;
        var path = match.PathSpecifierCase switch
        {
            RouteMatch.PathSpecifierOneofCase.Prefix => PathMatch.ForPrefix(match.Prefix, ignoreCase),
            RouteMatch.PathSpecifierOneofCase.Path => PathMatch.ForPath(match.Path, ignoreCase),
            RouteMatch.PathSpecifierOneofCase.SafeRegex => PathMatch.ForRegex(match.SafeRegex.Regex, $"{where}.safe_regex"),
            RouteMatch.PathSpecifierOneofCase.PathSeparatedPrefix => SeparatedPrefix(match.PathSeparatedPrefix, ignoreCase, where),
            RouteMatch.PathSpecifierOneofCase.ConnectMatcher => throw new ConfigException($"{where}.connect_matcher is not supported"),
            _ => throw new ConfigException($"{where}: needs prefix, path, safe_regex or path_separated_prefix"),
        };
        // A runtime fraction below 100% would need per-request draws we do not make; refuse rather than ignore it.
        if (match.RuntimeFraction is { } fraction && Fractions.Of(fraction) < 1)
            throw new ConfigException($"{where}.runtime_fraction below 100% is not supported");
        var headers = ImmutableArray.CreateBuilder<HeaderMatcherModel>(match.Headers.Count);
        for (var i = 0; i < match.Headers.Count; i++) headers.Add(Header(match.Headers[i], $"{where}.headers[{i}]"));
        var query = ImmutableArray.CreateBuilder<QueryMatcherModel>(match.QueryParameters.Count);
        for (var i = 0; i < match.QueryParameters.Count; i++) query.Add(Query(match.QueryParameters[i], $"{where}.query_parameters[{i}]"));
        return new RouteMatcher(path, headers.MoveToImmutable(), query.MoveToImmutable()) { GrpcOnly = match.Grpc is not null };
    }

    private static PathMatch SeparatedPrefix(string prefix, bool ignoreCase, string where)
    {
        // Envoy's validation: ^[^?#]+[^?#/]$ (no query or fragment, no trailing slash).
        if (prefix.Length < 2 || prefix.AsSpan().IndexOfAny('?', '#') >= 0 || prefix.EndsWith('/'))
            throw new ConfigException($"{where}.path_separated_prefix \"{prefix}\" must be a path without ?, # or a trailing /");
        return PathMatch.ForSeparatedPrefix(prefix, ignoreCase);
    }

    private static QueryMatcherModel Query(QueryParameterMatcher q, string where)
    {
        if (string.IsNullOrEmpty(q.Name)) throw new ConfigException($"{where}.name must not be empty");
        var match = q.QueryParameterMatchSpecifierCase == QueryParameterMatcher.QueryParameterMatchSpecifierOneofCase.StringMatch
            ? String(q.StringMatch, $"{where}.string_match")
            : null;
        return new QueryMatcherModel(q.Name, match);
    }

    /// <summary>A HeaderMatcher; also used by the fault filter's headers.</summary>
    internal static HeaderMatcherModel Header(HeaderMatcher h, string where)
    {
        if (string.IsNullOrEmpty(h.Name)) throw new ConfigException($"{where}.name must not be empty");
        StringMatcherModel? match = h.HeaderMatchSpecifierCase switch
        {
            HeaderMatcher.HeaderMatchSpecifierOneofCase.ExactMatch => StringMatcherModel.Exact(h.ExactMatch),
            HeaderMatcher.HeaderMatchSpecifierOneofCase.PrefixMatch => StringMatcherModel.Prefix(h.PrefixMatch),
            HeaderMatcher.HeaderMatchSpecifierOneofCase.SuffixMatch => StringMatcherModel.Suffix(h.SuffixMatch),
            HeaderMatcher.HeaderMatchSpecifierOneofCase.ContainsMatch => StringMatcherModel.Contains(h.ContainsMatch),
            HeaderMatcher.HeaderMatchSpecifierOneofCase.SafeRegexMatch => StringMatcherModel.Regex(h.SafeRegexMatch.Regex, where: $"{where}.safe_regex_match"),
            HeaderMatcher.HeaderMatchSpecifierOneofCase.StringMatch => String(h.StringMatch, $"{where}.string_match"),
            _ => null,
        };
        bool? present = h.HeaderMatchSpecifierCase switch
        {
            HeaderMatcher.HeaderMatchSpecifierOneofCase.PresentMatch => h.PresentMatch,
            // No specifier at all: Envoy checks presence.
            HeaderMatcher.HeaderMatchSpecifierOneofCase.None => true,
            _ => null,
        };
        (long, long)? range = null;
        if (h.HeaderMatchSpecifierCase == HeaderMatcher.HeaderMatchSpecifierOneofCase.RangeMatch)
        {
            if (h.RangeMatch.Start >= h.RangeMatch.End)
                throw new ConfigException($"{where}.range_match [{h.RangeMatch.Start}, {h.RangeMatch.End}) is empty: start must be below end");
            range = (h.RangeMatch.Start, h.RangeMatch.End);
        }
        return new HeaderMatcherModel(h.Name, match, present, range, h.InvertMatch, h.TreatMissingHeaderAsEmpty);
    }

    /// <summary>A StringMatcher; ignore_case has no effect on safe_regex (Envoy's rule).</summary>
    public static StringMatcherModel String(StringMatcher m, string where) => m.MatchPatternCase switch
    {
        StringMatcher.MatchPatternOneofCase.Exact => StringMatcherModel.Exact(m.Exact, m.IgnoreCase),
        StringMatcher.MatchPatternOneofCase.Prefix => StringMatcherModel.Prefix(m.Prefix, m.IgnoreCase),
        StringMatcher.MatchPatternOneofCase.Suffix => StringMatcherModel.Suffix(m.Suffix, m.IgnoreCase),
        StringMatcher.MatchPatternOneofCase.Contains => StringMatcherModel.Contains(m.Contains, m.IgnoreCase),
        StringMatcher.MatchPatternOneofCase.SafeRegex => StringMatcherModel.Regex(m.SafeRegex.Regex, where: $"{where}.safe_regex"),
        _ => throw new ConfigException($"{where}: a string matcher needs exact, prefix, suffix, contains or safe_regex"),
    };
}
