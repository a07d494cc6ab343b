using Envoy.Config.Route.V3;
using Envoy.Type.Matcher.V3;
using Envoy.Type.V3;
using FluentAssertions;
using Rigging.Proxy.Tests.Infrastructure;

namespace Rigging.Proxy.Tests.Routing;

/// <summary>
/// Every kind of route match, through a real proxy programmed over ADS: each route answers directly with its own
/// name, so the body says which route a request landed on.
/// </summary>
public sealed class RouteMatchingTests : IAsyncLifetime
{
    private static readonly HttpClient Client = new(new SocketsHttpHandler { UseProxy = false });
    private ProxyFixture _mesh = null!;
    private int _port;

    public async Task InitializeAsync()
    {
        _mesh = await ProxyFixture.StartAsync();
        _port = FreePort.Get();
        static HeaderMatcher H(string name, Action<HeaderMatcher> set)
        {
            var h = new HeaderMatcher { Name = name };
            set(h);
            return h;
        }
        var routes = new[]
        {
            EnvoyConfig.Answer(new RouteMatch { Path = "/exact" }, "path"),
            EnvoyConfig.Answer(new RouteMatch { SafeRegex = new RegexMatcher { Regex = "/items/[0-9]+" } }, "regex"),
            EnvoyConfig.Answer(new RouteMatch { PathSeparatedPrefix = "/api" }, "separated"),
            EnvoyConfig.Answer(new RouteMatch { Prefix = "/CaseLess", CaseSensitive = false }, "caseless"),
            EnvoyConfig.Answer(EnvoyConfig.MatchPrefix("/h", H("x-exact", h => h.ExactMatch = "yes")), "header-exact"),
            EnvoyConfig.Answer(EnvoyConfig.MatchPrefix("/h", H("x-prefix", h => h.PrefixMatch = "pre"), H("x-suffix", h => h.SuffixMatch = "fix")), "header-prefix-suffix"),
            EnvoyConfig.Answer(EnvoyConfig.MatchPrefix("/h", H("x-contains", h => h.StringMatch = new StringMatcher { Contains = "MID", IgnoreCase = true })), "header-contains"),
            EnvoyConfig.Answer(EnvoyConfig.MatchPrefix("/h", H("x-regex", h => h.SafeRegexMatch = new RegexMatcher { Regex = "v[0-9]" })), "header-regex"),
            EnvoyConfig.Answer(EnvoyConfig.MatchPrefix("/h", H("x-range", h => h.RangeMatch = new Int64Range { Start = 10, End = 20 })), "header-range"),
            EnvoyConfig.Answer(EnvoyConfig.MatchPrefix("/h", H("x-present", h => h.PresentMatch = true)), "header-present"),
            EnvoyConfig.Answer(EnvoyConfig.MatchPrefix("/h", H("x-not", h => { h.ExactMatch = "blocked"; h.InvertMatch = true; })), "header-invert"),
            EnvoyConfig.Answer(EnvoyConfig.MatchPrefix("/m", H(":method", h => h.ExactMatch = "DELETE")), "method"),
            EnvoyConfig.Answer(QueryMatch("/q", "debug", null), "query-present"),
            EnvoyConfig.Answer(QueryMatch("/q2", "v", new StringMatcher { Prefix = "beta" }), "query-string"),
            EnvoyConfig.Answer(new RouteMatch { Prefix = "/" }, "fallback"),
        };
        await _mesh.ApplyAsync(
            EnvoyConfig.HttpListener("ingress", _port, "r"),
            EnvoyConfig.RouteConfig("r",
                EnvoyConfig.Host("shop", ["shop.example.com", "shop.example.com:8080"], EnvoyConfig.Answer(new RouteMatch { Prefix = "/" }, "vhost-shop")),
                EnvoyConfig.Host("wild", ["*.example.com"], EnvoyConfig.Answer(new RouteMatch { Prefix = "/" }, "vhost-wild")),
                EnvoyConfig.Host("all", ["*"], routes)));
    }

    private static RouteMatch QueryMatch(string prefix, string name, StringMatcher? match)
    {
        var m = new RouteMatch { Prefix = prefix };
        m.QueryParameters.Add(match is null ? new QueryParameterMatcher { Name = name, PresentMatch = true } : new QueryParameterMatcher { Name = name, StringMatch = match });
        return m;
    }

    public async Task DisposeAsync() => await _mesh.DisposeAsync();

    private async Task<string> Land(string path, string method = "GET", string? host = null, params (string, string)[] headers)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), $"http://127.0.0.1:{_port}{path}");
        if (host is not null) request.Headers.Host = host;
        foreach (var (name, value) in headers) request.Headers.TryAddWithoutValidation(name, value);
        using var response = await Client.SendAsync(request);
        return await response.Content.ReadAsStringAsync();
    }

    [Fact]
    public async Task Path_matches_exact_regex_separated_prefix_and_case_insensitive_prefix()
    {
        (await Land("/exact")).Should().Be("path");
        (await Land("/exact/more")).Should().Be("fallback");
        (await Land("/items/42")).Should().Be("regex");
        (await Land("/items/42x")).Should().Be("fallback", "a path regex must match the whole path");
        (await Land("/api")).Should().Be("separated");
        (await Land("/api/v1?x=1")).Should().Be("separated");
        (await Land("/apix")).Should().Be("fallback");
        (await Land("/caseless/x")).Should().Be("caseless");
    }

    [Fact]
    public async Task Header_matches_of_every_kind_select_their_routes()
    {
        (await Land("/h", headers: ("x-exact", "yes"))).Should().Be("header-exact");
        (await Land("/h", headers: [("x-prefix", "prefix"), ("x-suffix", "suffix")])).Should().Be("header-prefix-suffix");
        (await Land("/h", headers: ("x-prefix", "prefix"))).Should().NotBe("header-prefix-suffix", "every header matcher must match");
        (await Land("/h", headers: ("x-contains", "a-mid-b"))).Should().Be("header-contains");
        (await Land("/h", headers: ("x-regex", "v2"))).Should().Be("header-regex");
        (await Land("/h", headers: ("x-range", "15"))).Should().Be("header-range");
        (await Land("/h", headers: ("x-range", "20"))).Should().NotBe("header-range");
        (await Land("/h", headers: ("x-present", ""))).Should().Be("header-present");
        (await Land("/h", headers: ("x-not", "allowed"))).Should().Be("header-invert");
        (await Land("/h", headers: ("x-not", "blocked"))).Should().Be("fallback");
        (await Land("/h")).Should().Be("fallback", "an absent header never matches, even inverted");
    }

    [Fact]
    public async Task Method_pseudo_header_and_query_parameters_select_their_routes()
    {
        (await Land("/m", "DELETE")).Should().Be("method");
        (await Land("/m")).Should().Be("fallback");
        (await Land("/q?debug")).Should().Be("query-present");
        (await Land("/q?other=1")).Should().Be("fallback");
        (await Land("/q2?v=beta-3")).Should().Be("query-string");
        (await Land("/q2?v=stable")).Should().Be("fallback");
    }

    [Fact]
    public async Task Virtual_hosts_are_chosen_by_host_and_port()
    {
        (await Land("/", host: "shop.example.com")).Should().Be("vhost-shop");
        (await Land("/", host: "shop.example.com:8080")).Should().Be("vhost-shop");
        (await Land("/", host: "cart.example.com")).Should().Be("vhost-wild");
        (await Land("/", host: "cart.example.com:9090")).Should().Be("fallback", "the port is part of the authority");
        (await Land("/", host: "other.org")).Should().Be("fallback");
    }
}
