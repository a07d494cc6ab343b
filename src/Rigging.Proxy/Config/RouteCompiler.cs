using System.Collections.Immutable;
using Envoy.Config.Route.V3;
using Rigging.Proxy.Routing;

namespace Rigging.Proxy.Config;

/// <summary>
/// RouteConfiguration (RDS, or inline in a listener) → <see cref="RouteTable"/>, compiled once per update. Every
/// error names the route configuration, virtual host, route index and field; it becomes the NACK.
/// </summary>
internal static partial class RouteCompiler
{
    public static RouteTable Compile(RouteConfiguration config)
    {
        var where = $"RouteConfiguration {config.Name}";
        var tableRequest = Mutation(config.RequestHeadersToRemove, config.RequestHeadersToAdd, $"{where}: request_headers");
        var tableResponse = Mutation(config.ResponseHeadersToRemove, config.ResponseHeadersToAdd, $"{where}: response_headers");
        var mostSpecificWins = config.MostSpecificHeaderMutationsWins;
        var tableFilters = FilterConfigs(config.TypedPerFilterConfig, $"{where}: typed_per_filter_config");
        var tableMirrors = Mirrors(config.RequestMirrorPolicies, $"{where}: request_mirror_policies");

        var domains = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var hosts = ImmutableArray.CreateBuilder<VirtualHostModel>(config.VirtualHosts.Count);
        for (var v = 0; v < config.VirtualHosts.Count; v++)
        {
            var vhost = config.VirtualHosts[v];
            var at = $"{where}: virtual host {(string.IsNullOrEmpty(vhost.Name) ? $"[{v}]" : vhost.Name)}";
            CheckDomains(vhost, domains, at);
            var vhostRequest = Mutation(vhost.RequestHeadersToRemove, vhost.RequestHeadersToAdd, $"{at}: request_headers");
            var vhostResponse = Mutation(vhost.ResponseHeadersToRemove, vhost.ResponseHeadersToAdd, $"{at}: response_headers");
            var scope = new Scope(
                Merge(FilterConfigs(vhost.TypedPerFilterConfig, $"{at}: typed_per_filter_config"), tableFilters),
                vhost.RequestMirrorPolicies.Count > 0 ? Mirrors(vhost.RequestMirrorPolicies, $"{at}: request_mirror_policies") : tableMirrors,
                vhost.Cors is { } cors ? Cors(cors, $"{at}: cors") : null,
                mostSpecificWins,
                tableRequest.Then(vhostRequest),
                tableResponse.Then(vhostResponse));
            var routes = ImmutableArray.CreateBuilder<RouteModel>(vhost.Routes.Count);
            for (var i = 0; i < vhost.Routes.Count; i++) routes.Add(Route(vhost.Routes[i], $"{at}: routes[{i}]", scope));
            hosts.Add(new VirtualHostModel(vhost.Name, [.. vhost.Domains], routes.MoveToImmutable())
            {
                RequestHeaders = mostSpecificWins ? HeaderMutation.None : vhostRequest,
                ResponseHeaders = mostSpecificWins ? HeaderMutation.None : vhostResponse,
                Retry = vhost.RetryPolicy is { } retry ? Retry(retry, $"{at}: retry_policy") : null,
                RequireTls = vhost.RequireTls switch
                {
                    VirtualHost.Types.TlsRequirementType.All => TlsRequirement.All,
                    VirtualHost.Types.TlsRequirementType.ExternalOnly => TlsRequirement.ExternalOnly,
                    _ => TlsRequirement.None,
                },
            });
        }
        return new RouteTable(config.Name, hosts.MoveToImmutable(), config.IgnorePortInHostMatching)
        {
            RequestHeaders = mostSpecificWins ? HeaderMutation.None : tableRequest,
            ResponseHeaders = mostSpecificWins ? HeaderMutation.None : tableResponse,
        };
    }

    /// <summary>
    /// Envoy's rules: at least one domain; each unique (case-insensitively) across the configuration; one "*" at
    /// most. A "*" inside a domain is literal, as in Envoy.
    /// </summary>
    private static void CheckDomains(VirtualHost vhost, Dictionary<string, string> seen, string where)
    {
        if (vhost.Domains.Count == 0) throw new ConfigException($"{where}: domains must not be empty");
        foreach (var domain in vhost.Domains)
        {
            if (domain.Length == 0) throw new ConfigException($"{where}: domains has an empty entry");
            if (!seen.TryAdd(domain, vhost.Name))
            {
                throw new ConfigException(domain == "*"
                    ? $"{where}: only one wildcard domain \"*\" is permitted (virtual host {seen[domain]} has it too)"
                    : $"{where}: domain \"{domain}\" is also in virtual host {seen[domain]}; domains must be unique");
            }
        }
    }

    private static RouteModel Route(Route route, string where, Scope scope)
    {
        var name = string.IsNullOrEmpty(route.Name) ? where[(where.LastIndexOf(' ') + 1)..] : route.Name;
        var match = Match(route.Match ?? throw new ConfigException($"{where}.match is required"), $"{where}.match");
        RouteActionModel action = route.ActionCase switch
        {
            Envoy.Config.Route.V3.Route.ActionOneofCase.Route_ => Forward(route.Route_, match, $"{where}.route", scope),
            Envoy.Config.Route.V3.Route.ActionOneofCase.Redirect => Redirect(route.Redirect, match, $"{where}.redirect"),
            Envoy.Config.Route.V3.Route.ActionOneofCase.DirectResponse => DirectResponse(route.DirectResponse, $"{where}.direct_response"),
            Envoy.Config.Route.V3.Route.ActionOneofCase.NonForwardingAction => throw new ConfigException($"{where}.non_forwarding_action is not supported"),
            _ => throw new ConfigException($"{where}: a route needs route, redirect or direct_response"),
        };
        var routeCors = route.Route_?.Cors is { } cors ? Cors(cors, $"{where}.route.cors") : null;
        var request = Mutation(route.RequestHeadersToRemove, route.RequestHeadersToAdd, $"{where}.request_headers");
        var response = Mutation(route.ResponseHeadersToRemove, route.ResponseHeadersToAdd, $"{where}.response_headers");
        // most_specific_header_mutations_wins: the outer levels go first, so the route's changes win.
        if (scope.MostSpecificWins)
        {
            request = scope.OuterRequest.Then(request);
            response = scope.OuterResponse.Then(response);
        }
        var model = new RouteModel(name, match, action)
        {
            RequestHeaders = request,
            ResponseHeaders = response,
            FilterConfigs = Effective(FilterConfigs(route.TypedPerFilterConfig, $"{where}.typed_per_filter_config"), scope, routeCors),
        };
        return route.Route_?.WeightedClusters is { } weighted && action is ForwardAction forward ? WithPerCluster(model, forward, weighted, scope, $"{where}.route.weighted_clusters") : model;
    }

    /// <summary>
    /// Weighted clusters that change headers or the host: one view of the route per cluster. Envoy applies the
    /// cluster's header changes before the route's (after them with most_specific_header_mutations_wins).
    /// </summary>
    private static RouteModel WithPerCluster(RouteModel route, ForwardAction forward, WeightedCluster weighted, Scope scope, string where)
    {
        var any = false;
        foreach (var c in weighted.Clusters)
        {
            any |= c.RequestHeadersToAdd.Count + c.RequestHeadersToRemove.Count + c.ResponseHeadersToAdd.Count + c.ResponseHeadersToRemove.Count > 0
                || c.HostRewriteSpecifierCase == WeightedCluster.Types.ClusterWeight.HostRewriteSpecifierOneofCase.HostRewriteLiteral;
        }
        if (!any) return route;
        var views = ImmutableArray.CreateBuilder<RouteModel>(weighted.Clusters.Count);
        for (var i = 0; i < weighted.Clusters.Count; i++)
        {
            var c = weighted.Clusters[i];
            var request = Mutation(c.RequestHeadersToRemove, c.RequestHeadersToAdd, $"{where}.clusters[{i}].request_headers");
            var response = Mutation(c.ResponseHeadersToRemove, c.ResponseHeadersToAdd, $"{where}.clusters[{i}].response_headers");
            var host = c.HostRewriteSpecifierCase == WeightedCluster.Types.ClusterWeight.HostRewriteSpecifierOneofCase.HostRewriteLiteral ? c.HostRewriteLiteral : null;
            views.Add(route with
            {
                Action = string.IsNullOrEmpty(host) ? forward : forward with { HostRewrite = host, AutoHostRewrite = false },
                RequestHeaders = scope.MostSpecificWins ? route.RequestHeaders.Then(request) : request.Then(route.RequestHeaders),
                ResponseHeaders = scope.MostSpecificWins ? route.ResponseHeaders.Then(response) : response.Then(route.ResponseHeaders),
            });
        }
        return route with { PerCluster = views.MoveToImmutable() };
    }

    /// <summary>What a route inherits from its virtual host (and route configuration).</summary>
    private sealed record Scope(
        IReadOnlyDictionary<string, object> Filters,
        ImmutableArray<MirrorPolicy> Mirrors,
        Http.Filters.Cors.CorsPolicyModel? LegacyCors,
        bool MostSpecificWins,
        HeaderMutation OuterRequest,
        HeaderMutation OuterResponse);
}
