using System.Net;
using Envoy.Config.Core.V3;
using Envoy.Config.Route.V3;
using Envoy.Type.Matcher.V3;
using FluentAssertions;
using Microsoft.AspNetCore.Http;
using Rigging.Proxy.Tests.Infrastructure;
using static Envoy.Config.Core.V3.HeaderValueOption.Types;

namespace Rigging.Proxy.Tests.Routing;

/// <summary>Route actions through a real proxy: rewrites, redirects, direct responses, header changes, splits.</summary>
public sealed class RouteActionTests
{
    private static readonly HttpClient Client = new(new SocketsHttpHandler { UseProxy = false, AllowAutoRedirect = false });

    private static async Task<(ProxyFixture Mesh, int Port)> StartAsync(TestBackend backend, RouteConfiguration routes, Random? random = null)
    {
        var mesh = await ProxyFixture.StartAsync(random);
        var port = FreePort.Get();
        await mesh.ApplyAsync(EnvoyConfig.EdsCluster("app"), EnvoyConfig.Endpoints("app", backend.Port), EnvoyConfig.HttpListener("ingress", port, routes.Name), routes);
        return (mesh, port);
    }

    [Fact]
    public async Task Prefix_regex_and_host_rewrites_change_what_the_upstream_sees()
    {
        await using var backend = await TestBackend.StartAsync("app");
        var prefix = EnvoyConfig.Prefix("/old/", "app");
        prefix.Route_.PrefixRewrite = "/new/";
        prefix.Route_.HostRewriteLiteral = "internal.app";
        var regex = EnvoyConfig.Prefix("/service/", "app");
        regex.Route_.RegexRewrite = new RegexMatchAndSubstitute { Pattern = new RegexMatcher { Regex = "^/service/([^/]+)(/.*)$" }, Substitution = "\\2/instance/\\1" };
        var (mesh, port) = await StartAsync(backend, EnvoyConfig.Routes("r", prefix, regex));
        await using var _ = mesh;

        var rewritten = await Client.GetAsync($"http://127.0.0.1:{port}/old/page?q=1");
        (await rewritten.Content.ReadAsStringAsync()).Should().Be("app /new/page?q=1");
        rewritten.Headers.GetValues("x-echo-Host").Single().Should().Be("internal.app");
        (await Client.GetStringAsync($"http://127.0.0.1:{port}/service/foo/v1/api")).Should().Be("app /v1/api/instance/foo");
    }

    [Fact]
    public async Task Redirects_replace_scheme_port_host_path_and_query_as_configured()
    {
        await using var backend = await TestBackend.StartAsync("app");
        Route Redirect(string prefix, RedirectAction action) => new() { Match = new RouteMatch { Prefix = prefix }, Redirect = action };
        var (mesh, port) = await StartAsync(backend, EnvoyConfig.Routes("r",
            Redirect("/secure", new RedirectAction { HttpsRedirect = true, PortRedirect = 8443, StripQuery = true, ResponseCode = RedirectAction.Types.RedirectResponseCode.PermanentRedirect }),
            Redirect("/moved", new RedirectAction { HostRedirect = "new.example.com", PathRedirect = "/landing" }),
            Redirect("/v1/", new RedirectAction { PrefixRewrite = "/v2/", ResponseCode = RedirectAction.Types.RedirectResponseCode.Found }),
            Redirect("/tls", new RedirectAction { HttpsRedirect = true })));
        await using var _ = mesh;

        async Task<(HttpStatusCode, string)> Get(string path, string host)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, $"http://127.0.0.1:{port}{path}");
            request.Headers.Host = host;
            using var response = await Client.SendAsync(request);
            return (response.StatusCode, response.Headers.Location!.OriginalString);
        }

        (await Get("/secure/a?x=1", "shop.example.com:8080")).Should().Be((HttpStatusCode.PermanentRedirect, "https://shop.example.com:8443/secure/a"));
        (await Get("/moved/old?x=1", "shop.example.com")).Should().Be((HttpStatusCode.MovedPermanently, "http://new.example.com/landing?x=1"));
        (await Get("/v1/items?x=1", "shop.example.com:8080")).Should().Be((HttpStatusCode.Found, "http://shop.example.com:8080/v2/items?x=1"));
        (await Get("/tls", "shop.example.com:80")).Should().Be((HttpStatusCode.MovedPermanently, "https://shop.example.com/tls"), "the old scheme's default port goes");
    }

    [Fact]
    public async Task Virtual_host_requiring_tls_redirects_plain_text_requests_to_https()
    {
        await using var backend = await TestBackend.StartAsync("app");
        var host = EnvoyConfig.Host("secure", ["*"], EnvoyConfig.Prefix("/", "app"));
        host.RequireTls = VirtualHost.Types.TlsRequirementType.All;
        var (mesh, port) = await StartAsync(backend, EnvoyConfig.RouteConfig("r", host));
        await using var _ = mesh;

        using var response = await Client.GetAsync($"http://127.0.0.1:{port}/pay?x=1");

        response.StatusCode.Should().Be(HttpStatusCode.MovedPermanently);
        response.Headers.Location!.OriginalString.Should().Be($"https://127.0.0.1:{port}/pay?x=1");
        backend.Requests.Should().Be(0);
    }

    [Fact]
    public async Task Direct_response_answers_with_status_and_body_without_an_upstream()
    {
        await using var backend = await TestBackend.StartAsync("app");
        var direct = new Route
        {
            Match = new RouteMatch { Prefix = "/maintenance" },
            DirectResponse = new DirectResponseAction { Status = 503, Body = new DataSource { InlineString = "down for maintenance" } },
        };
        var (mesh, port) = await StartAsync(backend, EnvoyConfig.Routes("r", direct));
        await using var _ = mesh;

        var response = await Client.GetAsync($"http://127.0.0.1:{port}/maintenance");
        response.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);
        (await response.Content.ReadAsStringAsync()).Should().Be("down for maintenance");
        response.Content.Headers.ContentType!.MediaType.Should().Be("text/plain");
        backend.Requests.Should().Be(0);
    }

    [Fact]
    public async Task Header_changes_at_route_host_and_config_level_follow_envoy_append_actions()
    {
        await using var backend = await TestBackend.StartAsync("app", async context =>
        {
            context.Response.Headers["x-from-app"] = "app";
            context.Response.Headers["x-secret"] = "s";
            foreach (var (key, value) in context.Request.Headers) context.Response.Headers["x-echo-" + key] = value.ToString();
            await context.Response.WriteAsync("ok");
        });
        var route = EnvoyConfig.Prefix("/", "app");
        route.RequestHeadersToAdd.Add(EnvoyConfig.Header("x-level", "route", HeaderAppendAction.AppendIfExistsOrAdd));
        route.RequestHeadersToAdd.Add(EnvoyConfig.Header("x-client", "proxy", HeaderAppendAction.AddIfAbsent));
        route.RequestHeadersToAdd.Add(EnvoyConfig.Header("x-only-if-there", "proxy", HeaderAppendAction.OverwriteIfExists));
        route.RequestHeadersToRemove.Add("x-drop");
        route.ResponseHeadersToRemove.Add("x-secret");
        var host = EnvoyConfig.Host("vh", ["*"], route);
        host.RequestHeadersToAdd.Add(EnvoyConfig.Header("x-level", "host", HeaderAppendAction.AppendIfExistsOrAdd));
        host.ResponseHeadersToAdd.Add(EnvoyConfig.Header("x-from-app", "host", HeaderAppendAction.OverwriteIfExistsOrAdd));
        var config = EnvoyConfig.RouteConfig("r", host);
        config.RequestHeadersToAdd.Add(EnvoyConfig.Header("x-level", "config", HeaderAppendAction.AppendIfExistsOrAdd));
        var (mesh, port) = await StartAsync(backend, config);
        await using var _ = mesh;

        using var request = new HttpRequestMessage(HttpMethod.Get, $"http://127.0.0.1:{port}/");
        request.Headers.Add("x-client", "mine");
        request.Headers.Add("x-drop", "gone");
        using var response = await Client.SendAsync(request);

        string.Join(',', response.Headers.GetValues("x-echo-x-level")).Replace(" ", "", StringComparison.Ordinal).Should().Be("route,host,config");
        response.Headers.GetValues("x-echo-x-client").Single().Should().Be("mine");
        response.Headers.Contains("x-echo-x-only-if-there").Should().BeFalse();
        response.Headers.Contains("x-echo-x-drop").Should().BeFalse();
        response.Headers.GetValues("x-from-app").Single().Should().Be("host");
        response.Headers.Contains("x-secret").Should().BeFalse();
    }

    [Fact]
    public async Task Weighted_clusters_with_total_weight_split_50_30_20()
    {
        await using var a = await TestBackend.StartAsync("a");
        await using var b = await TestBackend.StartAsync("b");
        await using var c = await TestBackend.StartAsync("c");
        await using var mesh = await ProxyFixture.StartAsync(new Random(11));
        var port = FreePort.Get();
        var split = EnvoyConfig.Weighted("/", ("a", 50), ("b", 30), ("c", 20));
        split.Route_.WeightedClusters.TotalWeight = 100;
        split.Route_.WeightedClusters.Clusters[2].RequestHeadersToAdd.Add(EnvoyConfig.Header("x-canary", "1", HeaderAppendAction.OverwriteIfExistsOrAdd));
        await mesh.ApplyAsync(
            EnvoyConfig.EdsCluster("a"), EnvoyConfig.EdsCluster("b"), EnvoyConfig.EdsCluster("c"),
            EnvoyConfig.Endpoints("a", a.Port), EnvoyConfig.Endpoints("b", b.Port), EnvoyConfig.Endpoints("c", c.Port),
            EnvoyConfig.HttpListener("ingress", port, "r"), EnvoyConfig.Routes("r", split));

        var canaryMarked = 0;
        for (var i = 0; i < 1000; i++)
        {
            using var response = await Client.GetAsync($"http://127.0.0.1:{port}/");
            var body = await response.Content.ReadAsStringAsync();
            if (!response.Headers.Contains("x-echo-x-canary")) continue;
            body.Should().StartWith("c ");
            canaryMarked++;
        }

        a.Requests.Should().BeInRange(450, 550);
        b.Requests.Should().BeInRange(250, 350);
        c.Requests.Should().BeInRange(150, 250);
        canaryMarked.Should().Be(c.Requests, "only the canary cluster's requests carry its header");
    }

    [Fact]
    public async Task Header_hash_policy_keeps_each_user_on_one_endpoint_of_a_ring_hash_cluster()
    {
        await using var one = await TestBackend.StartAsync("one");
        await using var two = await TestBackend.StartAsync("two");
        await using var mesh = await ProxyFixture.StartAsync();
        var port = FreePort.Get();
        var route = EnvoyConfig.Prefix("/", "app");
        route.Route_.HashPolicy.Add(new RouteAction.Types.HashPolicy { Header = new RouteAction.Types.HashPolicy.Types.Header { HeaderName = "x-user" } });
        await mesh.ApplyAsync(
            EnvoyConfig.EdsCluster("app").WithPolicy(Envoy.Config.Cluster.V3.Cluster.Types.LbPolicy.RingHash), EnvoyConfig.Endpoints("app", one.Port, two.Port),
            EnvoyConfig.HttpListener("ingress", port, "r"), EnvoyConfig.Routes("r", route));

        var landings = new Dictionary<string, HashSet<string>>();
        for (var user = 0; user < 20; user++)
        {
            var seen = landings[$"u{user}"] = [];
            for (var i = 0; i < 5; i++)
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, $"http://127.0.0.1:{port}/");
                request.Headers.Add("x-user", $"u{user}");
                using var response = await Client.SendAsync(request);
                seen.Add((await response.Content.ReadAsStringAsync()).Split(' ')[0]);
            }
        }

        landings.Values.Should().OnlyContain(set => set.Count == 1, "a user's requests all hash to one endpoint");
        landings.Values.Select(set => set.Single()).Distinct().Should().HaveCount(2, "20 users spread over both endpoints");
    }

    [Fact]
    public async Task Cluster_header_routes_by_request_header_and_a_missing_cluster_answers_the_configured_code()
    {
        await using var backend = await TestBackend.StartAsync("app");
        var byHeader = new Route
        {
            Match = new RouteMatch { Prefix = "/" },
            Route_ = new RouteAction { ClusterHeader = "x-cluster", ClusterNotFoundResponseCode = RouteAction.Types.ClusterNotFoundResponseCode.NotFound },
        };
        var (mesh, port) = await StartAsync(backend, EnvoyConfig.Routes("r", byHeader));
        await using var _ = mesh;

        using var hit = new HttpRequestMessage(HttpMethod.Get, $"http://127.0.0.1:{port}/x");
        hit.Headers.Add("x-cluster", "app");
        (await (await Client.SendAsync(hit)).Content.ReadAsStringAsync()).Should().Be("app /x");
        using var miss = new HttpRequestMessage(HttpMethod.Get, $"http://127.0.0.1:{port}/x");
        miss.Headers.Add("x-cluster", "nope");
        (await Client.SendAsync(miss)).StatusCode.Should().Be(HttpStatusCode.NotFound);
        await Eventually.TrueAsync(() => mesh.Proxy.Stats.Get("ingress", "response_flags_NC") == 1);
    }
}
