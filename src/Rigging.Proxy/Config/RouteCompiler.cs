using System.Collections.Immutable;
using Envoy.Config.Core.V3;
using Envoy.Config.Route.V3;
using Envoy.Type.Matcher.V3;
using Rigging.Proxy.Routing;

namespace Rigging.Proxy.Config;

/// <summary>RouteConfiguration (RDS, or inline in a listener) → <see cref="RouteTable"/>, compiled once per update.</summary>
internal static partial class RouteCompiler
{
    public static RouteTable Compile(RouteConfiguration config)
    {
        var hosts = ImmutableArray.CreateBuilder<VirtualHostModel>(config.VirtualHosts.Count);
        foreach (var vhost in config.VirtualHosts)
        {
            var where = $"RouteConfiguration {config.Name}: virtual host {vhost.Name}";
            if (vhost.Domains.Count == 0) throw new ConfigException($"{where}: domains must not be empty");
            var routes = ImmutableArray.CreateBuilder<RouteModel>(vhost.Routes.Count);
            for (var i = 0; i < vhost.Routes.Count; i++)
            {
                routes.Add(Route(vhost.Routes[i], $"{where}: routes[{i}]"));
            }
            hosts.Add(new VirtualHostModel(vhost.Name, [.. vhost.Domains], routes.MoveToImmutable())
            {
                RequestHeaders = Mutation(vhost.RequestHeadersToRemove, vhost.RequestHeadersToAdd),
                ResponseHeaders = Mutation(vhost.ResponseHeadersToRemove, vhost.ResponseHeadersToAdd),
                Retry = vhost.RetryPolicy is { } retry ? Retry(retry, where) : null,
            });
        }
        return new RouteTable(config.Name, hosts.MoveToImmutable())
        {
            RequestHeaders = Mutation(config.RequestHeadersToRemove, config.RequestHeadersToAdd),
            ResponseHeaders = Mutation(config.ResponseHeadersToRemove, config.ResponseHeadersToAdd),
        };
    }

    private static RouteModel Route(Route route, string where)
    {
        var name = string.IsNullOrEmpty(route.Name) ? where[(where.LastIndexOf(' ') + 1)..] : route.Name;
        RouteActionModel action = route.ActionCase switch
        {
            Envoy.Config.Route.V3.Route.ActionOneofCase.Route_ => Forward(route.Route_, where),
            Envoy.Config.Route.V3.Route.ActionOneofCase.Redirect => Redirect(route.Redirect),
            Envoy.Config.Route.V3.Route.ActionOneofCase.DirectResponse => DirectResponse(route.DirectResponse, where),
            _ => throw new ConfigException($"{where}: a route needs route, redirect or direct_response"),
        };
        return new RouteModel(name, Match(route.Match ?? throw new ConfigException($"{where}: match is required"), where), action)
        {
            RequestHeaders = Mutation(route.RequestHeadersToRemove, route.RequestHeadersToAdd),
            ResponseHeaders = Mutation(route.ResponseHeadersToRemove, route.ResponseHeadersToAdd),
        };
    }

    private static RouteMatcher Match(RouteMatch match, string where)
    {
        var ignoreCase = match.CaseSensitive is false;
        var path = match.PathSpecifierCase switch
        {
            RouteMatch.PathSpecifierOneofCase.Prefix => PathMatch.ForPrefix(match.Prefix, ignoreCase),
            RouteMatch.PathSpecifierOneofCase.Path => PathMatch.ForPath(match.Path, ignoreCase),
            RouteMatch.PathSpecifierOneofCase.SafeRegex => PathMatch.ForRegex(match.SafeRegex.Regex, ignoreCase),
            RouteMatch.PathSpecifierOneofCase.PathSeparatedPrefix => PathMatch.ForSeparatedPrefix(match.PathSeparatedPrefix, ignoreCase),
            _ => throw new ConfigException($"{where}: match needs prefix, path, safe_regex or path_separated_prefix"),
        };
        var headers = match.Headers.Select(h => Header(h, where)).ToImmutableArray();
        var query = match.QueryParameters.Select(q => new QueryMatcherModel(q.Name,
            q.StringMatch is { } sm ? String(sm, where) : null, q.PresentMatch || q.StringMatch is null)).ToImmutableArray();
        return new RouteMatcher(path, headers, query);
    }

    private static HeaderMatcherModel Header(HeaderMatcher h, string where)
    {
        StringMatcherModel? match = h.HeaderMatchSpecifierCase switch
        {
            HeaderMatcher.HeaderMatchSpecifierOneofCase.ExactMatch => StringMatcherModel.Exact(h.ExactMatch),
            HeaderMatcher.HeaderMatchSpecifierOneofCase.PrefixMatch => StringMatcherModel.Prefix(h.PrefixMatch),
            HeaderMatcher.HeaderMatchSpecifierOneofCase.SuffixMatch => StringMatcherModel.Suffix(h.SuffixMatch),
            HeaderMatcher.HeaderMatchSpecifierOneofCase.ContainsMatch => StringMatcherModel.Contains(h.ContainsMatch),
            HeaderMatcher.HeaderMatchSpecifierOneofCase.SafeRegexMatch => StringMatcherModel.Regex(h.SafeRegexMatch.Regex),
            HeaderMatcher.HeaderMatchSpecifierOneofCase.StringMatch => String(h.StringMatch, where),
            _ => null,
        };
        bool? present = h.HeaderMatchSpecifierCase == HeaderMatcher.HeaderMatchSpecifierOneofCase.PresentMatch ? h.PresentMatch : null;
        (long, long)? range = h.RangeMatch is { } r ? (r.Start, r.End) : null;
        return new HeaderMatcherModel(h.Name, match, present, range, h.InvertMatch, h.TreatMissingHeaderAsEmpty);
    }

    public static StringMatcherModel String(StringMatcher m, string where) => m.MatchPatternCase switch
    {
        StringMatcher.MatchPatternOneofCase.Exact => StringMatcherModel.Exact(m.Exact, m.IgnoreCase),
        StringMatcher.MatchPatternOneofCase.Prefix => StringMatcherModel.Prefix(m.Prefix, m.IgnoreCase),
        StringMatcher.MatchPatternOneofCase.Suffix => StringMatcherModel.Suffix(m.Suffix, m.IgnoreCase),
        StringMatcher.MatchPatternOneofCase.Contains => StringMatcherModel.Contains(m.Contains, m.IgnoreCase),
        StringMatcher.MatchPatternOneofCase.SafeRegex => StringMatcherModel.Regex(m.SafeRegex.Regex, m.IgnoreCase),
        _ => throw new ConfigException($"{where}: a string matcher needs exact, prefix, suffix, contains or safe_regex"),
    };

    public static HeaderMutation Mutation(IEnumerable<string> remove, IEnumerable<HeaderValueOption> add) =>
        !remove.Any() && !add.Any()
            ? HeaderMutation.None
            : new HeaderMutation([.. remove], [.. add.Select(o => (o.Header.Key, o.Header.Value,
                o.AppendAction == HeaderValueOption.Types.HeaderAppendAction.AppendIfExistsOrAdd && o.Append != false))]);
}
