using Envoy.Config.Route.V3;
using Envoy.Type.Matcher.V3;
using FluentAssertions;
using Rigging.Proxy.Tests.Infrastructure;
using Rigging.Xds.Cache;

namespace Rigging.Proxy.Tests.Routing;

/// <summary>Bad route configurations are NACKed over ADS with the field named; the last good config keeps serving.</summary>
public sealed class RouteNackTests
{
    private static readonly HttpClient Client = new(new SocketsHttpHandler { UseProxy = false });

    [Theory]
    [InlineData("regex", "virtual host all: routes[0].match.query_parameters[0].string_match.safe_regex: invalid regex \"[z-a]\"")]
    [InlineData("backreference", "virtual host all: routes[0].match.query_parameters[0].string_match.safe_regex: regex \"(a)\\1\" is not supported (RE2 has no backreferences or lookarounds)")]
    [InlineData("weights", "virtual host all: routes[0].route.weighted_clusters: the sum of the clusters' weights must be greater than 0")]
    [InlineData("redirect", "virtual host all: routes[0].redirect.port_redirect 70000 must be 1-65535")]
    public async Task Bad_route_is_nacked_naming_the_field_and_the_old_routes_keep_serving(string kind, string expected)
    {
        await using var mesh = await ProxyFixture.StartAsync();
        var port = FreePort.Get();
        await mesh.ApplyAsync(EnvoyConfig.HttpListener("ingress", port, "r"), EnvoyConfig.Routes("r", EnvoyConfig.Answer(new RouteMatch { Prefix = "/" }, "good")));

        var bad = kind switch
        {
            "regex" => BadQueryRegex("[z-a]"),
            "backreference" => BadQueryRegex(@"(a)\1"),
            "weights" => EnvoyConfig.Weighted("/", ("a", 0), ("b", 0)),
            _ => new Route { Match = new RouteMatch { Prefix = "/" }, Redirect = new RedirectAction { PortRedirect = 70000 } },
        };
        mesh.Cache.SetSnapshot(ProxyFixture.NodeId, Snapshot.Create(
            EnvoyConfig.EdsCluster("a"), EnvoyConfig.EdsCluster("b"), EnvoyConfig.Endpoints("a", 9), EnvoyConfig.Endpoints("b", 9), EnvoyConfig.HttpListener("ingress", port, "r"), EnvoyConfig.Routes("r", bad)));

        var nack = await WaitForNackAsync(mesh);
        nack.Should().Contain("RouteConfiguration r: " + expected);
        (await Client.GetStringAsync($"http://127.0.0.1:{port}/")).Should().Be("good");
    }

    private static Route BadQueryRegex(string regex)
    {
        var match = new RouteMatch { Prefix = "/" };
        match.QueryParameters.Add(new QueryParameterMatcher { Name = "q", StringMatch = new StringMatcher { SafeRegex = new RegexMatcher { Regex = regex } } });
        return EnvoyConfig.Answer(match, "bad");
    }

    private static async Task<string> WaitForNackAsync(ProxyFixture mesh)
    {
        for (var i = 0; i < 400; i++)
        {
            var nack = mesh.Cache.GetStatus(ProxyFixture.NodeId)?.Types.Values.Select(t => t.NackError).FirstOrDefault(e => e is not null);
            if (nack is not null) return nack;
            await Task.Delay(25);
        }
        var types = mesh.Cache.GetStatus(ProxyFixture.NodeId)?.Types.Select(kv => $"{kv.Key}={kv.Value}");
        throw new TimeoutException($"no NACK seen; status: {string.Join("; ", types ?? [])}; proxy: {mesh.Proxy.State.LastRejection}; {mesh.Proxy.Ads.LastError}");
    }
}
