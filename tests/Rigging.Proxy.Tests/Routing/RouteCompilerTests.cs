using Envoy.Config.Core.V3;
using Envoy.Config.Route.V3;
using Envoy.Type.Matcher.V3;
using FluentAssertions;
using Google.Protobuf.WellKnownTypes;
using Rigging.Proxy.Config;
using Rigging.Proxy.Http.Filters.Cors;
using Rigging.Proxy.Http.Filters.Fault;
using Rigging.Proxy.Routing;
using Rigging.Proxy.Tests.Infrastructure;

namespace Rigging.Proxy.Tests.Routing;

/// <summary>What the route compiler accepts, what it refuses (the NACK text), and what it compiles (no sockets).</summary>
public sealed class RouteCompilerTests
{
    private static RouteConfiguration One(Route route) => EnvoyConfig.RouteConfig("r", EnvoyConfig.Host("vh", ["*"], route));

    private static string Nack(RouteConfiguration config) =>
        FluentActions.Invoking(() => RouteCompiler.Compile(config)).Should().Throw<ConfigException>().Which.Message;

    [Fact]
    public void Bad_header_regex_is_refused_naming_the_route_and_field()
    {
        var route = EnvoyConfig.Answer(EnvoyConfig.MatchPrefix("/", new HeaderMatcher { Name = "x", SafeRegexMatch = new RegexMatcher { Regex = "(a" } }), "x");
        Nack(One(route)).Should().StartWith("RouteConfiguration r: virtual host vh: routes[0].match.headers[0].safe_regex_match: invalid regex");
    }

    [Fact]
    public void Duplicate_domains_and_two_default_hosts_are_refused()
    {
        Nack(EnvoyConfig.RouteConfig("r", EnvoyConfig.Host("a", ["x.com"]), EnvoyConfig.Host("b", ["X.com"])))
            .Should().Contain("virtual host b: domain \"X.com\" is also in virtual host a");
        Nack(EnvoyConfig.RouteConfig("r", EnvoyConfig.Host("a", ["*"]), EnvoyConfig.Host("b", ["*"])))
            .Should().Contain("only one wildcard domain");
    }

    [Fact]
    public void Weighted_clusters_must_add_up_to_total_weight()
    {
        var route = EnvoyConfig.Weighted("/", ("a", 50), ("b", 40));
        route.Route_.WeightedClusters.TotalWeight = 100;
        Nack(One(route)).Should().Contain("routes[0].route.weighted_clusters.total_weight is 100 but the clusters' weights add up to 90");
        route.Route_.WeightedClusters.TotalWeight = 90;
        RouteCompiler.Compile(One(route)).VirtualHosts[0].Routes[0].Action.Should().BeOfType<ForwardAction>();
    }

    [Fact]
    public void Header_changes_refuse_host_and_pseudo_headers_and_conflicting_append_fields()
    {
        var route = EnvoyConfig.Prefix("/", "c");
        route.RequestHeadersToAdd.Add(EnvoyConfig.Header("host", "x", HeaderValueOption.Types.HeaderAppendAction.OverwriteIfExistsOrAdd));
        Nack(One(route)).Should().Contain("routes[0].request_headers_to_add[0].header.key: \"host\" cannot be changed");

        route = EnvoyConfig.Prefix("/", "c");
        var both = EnvoyConfig.Header("x-a", "1", HeaderValueOption.Types.HeaderAppendAction.AddIfAbsent);
        both.Append = true;
        route.ResponseHeadersToAdd.Add(both);
        Nack(One(route)).Should().Contain("routes[0].response_headers_to_add[0]: append and append_action are both set");
    }

    [Fact]
    public void Regex_rewrite_substitution_uses_envoy_group_syntax()
    {
        var route = EnvoyConfig.Prefix("/", "c");
        route.Route_.RegexRewrite = new RegexMatchAndSubstitute { Pattern = new RegexMatcher { Regex = "^/service/([^/]+)(/.*)$" }, Substitution = "\\2/instance/\\1" };
        var action = (ForwardAction)RouteCompiler.Compile(One(route)).VirtualHosts[0].Routes[0].Action;
        action.RegexRewrite!.Value.Pattern.Replace("/service/foo/v1/api", action.RegexRewrite.Value.Substitution).Should().Be("/v1/api/instance/foo");

        route.Route_.RegexRewrite.Substitution = "\\3";
        Nack(One(route)).Should().Contain("routes[0].route.regex_rewrite.substitution: substitution \"\\3\" uses \\3 but the pattern has 2 group(s)");
    }

    [Fact]
    public void Route_fault_config_overrides_the_virtual_host_and_cors_policies_merge_field_by_field()
    {
        var route = EnvoyConfig.Prefix("/", "c");
        route.TypedPerFilterConfig[EnvoyConfig.FaultFilterName] = Any.Pack(EnvoyConfig.Abort(503, 100));
        route.TypedPerFilterConfig[EnvoyConfig.CorsFilterName] = Any.Pack(EnvoyConfig.Cors("https://a.example", methods: "GET"));
        var host = EnvoyConfig.Host("vh", ["*"], route);
        host.TypedPerFilterConfig[EnvoyConfig.FaultFilterName] = Any.Pack(EnvoyConfig.Abort(500, 100));
        host.TypedPerFilterConfig[EnvoyConfig.CorsFilterName] = Any.Pack(EnvoyConfig.Cors("https://b.example", methods: "PUT", maxAge: "60", credentials: true));

        var configs = RouteCompiler.Compile(EnvoyConfig.RouteConfig("r", host)).VirtualHosts[0].Routes[0].FilterConfigs;

        configs[EnvoyConfig.FaultFilterName].Should().BeOfType<FaultConfig>().Which.Abort!.HttpStatus.Should().Be(503);
        var cors = configs[EnvoyConfig.CorsFilterName].Should().BeOfType<CorsPolicyModel>().Subject;
        cors.AllowsOrigin("https://a.example").Should().BeTrue();
        cors.AllowsOrigin("https://b.example").Should().BeFalse();
        cors.AllowMethods.Should().Be("GET");
        cors.MaxAge.Should().Be("60");
        cors.AllowCredentials.Should().BeTrue();
    }

    [Fact]
    public void Bad_fault_config_is_refused_naming_the_field()
    {
        var route = EnvoyConfig.Prefix("/", "c");
        route.TypedPerFilterConfig[EnvoyConfig.FaultFilterName] = Any.Pack(EnvoyConfig.Abort(700, 100));
        Nack(One(route)).Should().Contain("routes[0].typed_per_filter_config[envoy.filters.http.fault]: abort: http_status 700 must be 200-599");
    }

    [Fact]
    public void Mirror_and_hash_policies_are_compiled_and_the_route_level_mirrors_win()
    {
        var route = EnvoyConfig.Prefix("/", "c");
        route.Route_.HashPolicy.Add(new RouteAction.Types.HashPolicy { Header = new RouteAction.Types.HashPolicy.Types.Header { HeaderName = "X-User" }, Terminal = true });
        route.Route_.HashPolicy.Add(new RouteAction.Types.HashPolicy { ConnectionProperties = new RouteAction.Types.HashPolicy.Types.ConnectionProperties { SourceIp = true } });
        var host = EnvoyConfig.Host("vh", ["*"], route, EnvoyConfig.Prefix("/other", "c"));
        host.RequestMirrorPolicies.Add(new RouteAction.Types.RequestMirrorPolicy { Cluster = "shadow-vh" });
        route.Route_.RequestMirrorPolicies.Add(new RouteAction.Types.RequestMirrorPolicy
        {
            Cluster = "shadow",
            RuntimeFraction = new RuntimeFractionalPercent { DefaultValue = EnvoyConfig.Percent(25) },
        });

        var routes = RouteCompiler.Compile(EnvoyConfig.RouteConfig("r", host)).VirtualHosts[0].Routes;
        var action = (ForwardAction)routes[0].Action;

        action.Mirrors.Should().Equal(new MirrorPolicy("shadow", 0.25));
        ((ForwardAction)routes[1].Action).Mirrors.Should().Equal(new MirrorPolicy("shadow-vh", 1.0));
        action.Hash!.Parts.Select(p => (p.Kind, p.Name, p.Terminal)).Should().Equal(
            (HashPolicyModel.HashKind.Header, "x-user", true), (HashPolicyModel.HashKind.SourceIp, "", false));
    }

    [Fact]
    public void Retry_policy_keeps_envoy_defaults_and_refuses_a_max_backoff_below_the_base()
    {
        var route = EnvoyConfig.Prefix("/", "c");
        route.Route_.RetryPolicy = new RetryPolicy { RetryOn = "5xx,retriable-status-codes", RetriableStatusCodes = { 418 } };
        route.Route_.RetryPolicy.RetryHostPredicate.Add(new RetryPolicy.Types.RetryHostPredicate { Name = "envoy.retry_host_predicates.previous_hosts" });
        var retry = ((ForwardAction)RouteCompiler.Compile(One(route)).VirtualHosts[0].Routes[0].Action).Retry!;
        retry.NumRetries.Should().Be(1);
        retry.On.Should().Be(RetryOn.FiveXx | RetryOn.RetriableStatusCodes);
        retry.RetriableStatusCodes.Should().Contain(418);
        retry.BackoffBase.Should().Be(TimeSpan.FromMilliseconds(25));
        retry.BackoffMax.Should().Be(TimeSpan.FromMilliseconds(250));
        retry.AvoidPreviousHosts.Should().BeTrue();

        route.Route_.RetryPolicy.RetryBackOff = new RetryPolicy.Types.RetryBackOff
        {
            BaseInterval = Duration.FromTimeSpan(TimeSpan.FromMilliseconds(100)),
            MaxInterval = Duration.FromTimeSpan(TimeSpan.FromMilliseconds(50)),
        };
        Nack(One(route)).Should().Contain("routes[0].route.retry_policy.retry_back_off.max_interval must be at least base_interval");
    }
}
