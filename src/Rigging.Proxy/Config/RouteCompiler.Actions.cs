using System.Collections.Immutable;
using Envoy.Config.Route.V3;
using Rigging.Proxy.Routing;

namespace Rigging.Proxy.Config;

internal static partial class RouteCompiler
{
    private static ForwardAction Forward(RouteAction action, RouteMatcher match, string where, Scope scope)
    {
        string? clusterHeader = null;
        WeightedClusterChoice clusters;
        switch (action.ClusterSpecifierCase)
        {
            case RouteAction.ClusterSpecifierOneofCase.Cluster:
                if (action.Cluster.Length == 0) throw new ConfigException($"{where}.cluster must not be empty");
                clusters = WeightedClusterChoice.Single(action.Cluster);
                break;
            case RouteAction.ClusterSpecifierOneofCase.ClusterHeader:
                if (action.ClusterHeader.Length == 0) throw new ConfigException($"{where}.cluster_header must not be empty");
                clusterHeader = action.ClusterHeader;
                clusters = new WeightedClusterChoice([]);
                break;
            case RouteAction.ClusterSpecifierOneofCase.WeightedClusters:
                clusters = Weighted(action.WeightedClusters, $"{where}.weighted_clusters");
                break;
            default:
                throw new ConfigException($"{where}: needs cluster, cluster_header or weighted_clusters");
        }
        if (!string.IsNullOrEmpty(action.PrefixRewrite) && action.RegexRewrite is not null)
            throw new ConfigException($"{where}: only one of prefix_rewrite and regex_rewrite may be set");
        if (!string.IsNullOrEmpty(action.PrefixRewrite) && match.Path.Prefix is null)
            throw new ConfigException($"{where}.prefix_rewrite needs a prefix, path or path_separated_prefix match (this route matches by regex)");
        if (action.HostRewriteSpecifierCase == RouteAction.HostRewriteSpecifierOneofCase.HostRewriteHeader)
            throw new ConfigException($"{where}.host_rewrite_header is not supported (use host_rewrite_literal or auto_host_rewrite)");
        var timeout = action.Timeout?.ToTimeSpan() ?? TimeSpan.Zero;
        if (timeout < TimeSpan.Zero) throw new ConfigException($"{where}.timeout must not be negative");
        return new ForwardAction(clusters)
        {
            ClusterHeader = clusterHeader,
            ClusterNotFoundStatus = action.ClusterNotFoundResponseCode switch
            {
                RouteAction.Types.ClusterNotFoundResponseCode.NotFound => 404,
                RouteAction.Types.ClusterNotFoundResponseCode.InternalServerError => 500,
                _ => 503,
            },
            Timeout = timeout,
            PrefixRewrite = string.IsNullOrEmpty(action.PrefixRewrite) ? null : action.PrefixRewrite,
            RegexRewrite = action.RegexRewrite is { } rr ? Rewrite(rr, $"{where}.regex_rewrite") : null,
            HostRewrite = action.HostRewriteSpecifierCase == RouteAction.HostRewriteSpecifierOneofCase.HostRewriteLiteral && action.HostRewriteLiteral.Length > 0
                ? action.HostRewriteLiteral
                : null,
            AutoHostRewrite = action.HostRewriteSpecifierCase == RouteAction.HostRewriteSpecifierOneofCase.AutoHostRewrite && action.AutoHostRewrite == true,
            Retry = action.RetryPolicy is { } retry ? Retry(retry, $"{where}.retry_policy") : null,
            // Envoy: the route's mirror policies replace the virtual host's, which replace the route configuration's.
            Mirrors = action.RequestMirrorPolicies.Count > 0 ? Mirrors(action.RequestMirrorPolicies, $"{where}.request_mirror_policies") : scope.Mirrors,
            Hash = action.HashPolicy.Count > 0 ? Hash(action.HashPolicy, $"{where}.hash_policy") : null,
        };
    }

    private static WeightedClusterChoice Weighted(WeightedCluster weighted, string where)
    {
        if (weighted.Clusters.Count == 0) throw new ConfigException($"{where}.clusters must not be empty");
        var entries = ImmutableArray.CreateBuilder<(string, uint)>(weighted.Clusters.Count);
        ulong sum = 0;
        for (var i = 0; i < weighted.Clusters.Count; i++)
        {
            var c = weighted.Clusters[i];
            if (c.Name.Length == 0)
                throw new ConfigException($"{where}.clusters[{i}].name must be set{(c.ClusterHeader.Length > 0 ? " (cluster_header is not supported)" : "")}");
            var weight = c.Weight ?? 0;
            sum += weight;
            entries.Add((c.Name, weight));
        }
        if (sum == 0) throw new ConfigException($"{where}: the sum of the clusters' weights must be greater than 0");
        if (weighted.TotalWeight is { } total && total != sum)
            throw new ConfigException($"{where}.total_weight is {total} but the clusters' weights add up to {sum}");
        if (sum > uint.MaxValue) throw new ConfigException($"{where}: the clusters' weights add up to {sum}, more than {uint.MaxValue}");
        return new WeightedClusterChoice(entries.MoveToImmutable());
    }

    private static (System.Text.RegularExpressions.Regex, string) Rewrite(Envoy.Type.Matcher.V3.RegexMatchAndSubstitute rewrite, string where)
    {
        var pattern = rewrite.Pattern?.Regex ?? throw new ConfigException($"{where}.pattern is required");
        var regex = CompiledRegex.CreateUnanchored(pattern, $"{where}.pattern");
        return (regex, CompiledRegex.Substitution(regex, rewrite.Substitution, $"{where}.substitution"));
    }

    private static ImmutableArray<MirrorPolicy> Mirrors(IReadOnlyList<RouteAction.Types.RequestMirrorPolicy> policies, string where)
    {
        if (policies.Count == 0) return [];
        var mirrors = ImmutableArray.CreateBuilder<MirrorPolicy>(policies.Count);
        for (var i = 0; i < policies.Count; i++)
        {
            var policy = policies[i];
            if (policy.Cluster.Length == 0)
                throw new ConfigException($"{where}[{i}].cluster must be set{(policy.ClusterHeader.Length > 0 ? " (cluster_header is not supported)" : "")}");
            // An unset runtime_fraction mirrors every request (Envoy's default).
            mirrors.Add(new MirrorPolicy(policy.Cluster, Fractions.Of(policy.RuntimeFraction)));
        }
        return mirrors.MoveToImmutable();
    }

    private static HashPolicyModel Hash(IReadOnlyList<RouteAction.Types.HashPolicy> policies, string where)
    {
        var parts = ImmutableArray.CreateBuilder<HashPolicyModel.Part>(policies.Count);
        for (var i = 0; i < policies.Count; i++)
        {
            var p = policies[i];
            var at = $"{where}[{i}]";
            switch (p.PolicySpecifierCase)
            {
                case RouteAction.Types.HashPolicy.PolicySpecifierOneofCase.Header:
                    if (p.Header.HeaderName.Length == 0) throw new ConfigException($"{at}.header.header_name must not be empty");
                    parts.Add(new HashPolicyModel.Part(HashPolicyModel.HashKind.Header, p.Header.HeaderName.ToLowerInvariant(), p.Terminal,
                        p.Header.RegexRewrite is { } rr ? Rewrite(rr, $"{at}.header.regex_rewrite") : null));
                    break;
                case RouteAction.Types.HashPolicy.PolicySpecifierOneofCase.Cookie:
                    // A ttl asks Envoy to set the cookie when absent; we hash it when present only.
                    if (p.Cookie.Name.Length == 0) throw new ConfigException($"{at}.cookie.name must not be empty");
                    parts.Add(new HashPolicyModel.Part(HashPolicyModel.HashKind.Cookie, p.Cookie.Name, p.Terminal));
                    break;
                case RouteAction.Types.HashPolicy.PolicySpecifierOneofCase.ConnectionProperties:
                    if (p.ConnectionProperties.SourceIp) parts.Add(new HashPolicyModel.Part(HashPolicyModel.HashKind.SourceIp, "", p.Terminal));
                    break;
                case RouteAction.Types.HashPolicy.PolicySpecifierOneofCase.QueryParameter:
                    if (p.QueryParameter.Name.Length == 0) throw new ConfigException($"{at}.query_parameter.name must not be empty");
                    parts.Add(new HashPolicyModel.Part(HashPolicyModel.HashKind.QueryParameter, p.QueryParameter.Name, p.Terminal));
                    break;
                case RouteAction.Types.HashPolicy.PolicySpecifierOneofCase.FilterState:
                    throw new ConfigException($"{at}.filter_state is not supported");
                default:
                    throw new ConfigException($"{at}: needs header, cookie, connection_properties or query_parameter");
            }
        }
        return new HashPolicyModel(parts.ToImmutable());
    }
}
