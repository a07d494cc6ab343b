using System.Net;
using FluentAssertions;
using Rigging.Proxy.Tests.Infrastructure;

namespace Rigging.Proxy.Tests.Http;

/// <summary>A real proxy, programmed over ADS by a real xDS server, in front of real backends.</summary>
public sealed class RoutingEndToEndTests
{
    private static readonly HttpClient Client = new(new SocketsHttpHandler { UseProxy = false, PooledConnectionLifetime = TimeSpan.Zero });

    [Fact]
    public async Task Request_through_listener_reaches_the_routed_cluster()
    {
        await using var backend = await TestBackend.StartAsync("v1");
        await using var mesh = await ProxyFixture.StartAsync();
        var port = FreePort.Get();

        await mesh.ApplyAsync(
            EnvoyConfig.EdsCluster("reviews"),
            EnvoyConfig.Endpoints("reviews", backend.Port),
            EnvoyConfig.HttpListener("outbound", port, "r"),
            EnvoyConfig.Routes("r", EnvoyConfig.Prefix("/", "reviews")));

        var response = await Client.GetAsync($"http://127.0.0.1:{port}/books?id=1");

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        (await response.Content.ReadAsStringAsync()).Should().Be("v1 /books?id=1");
        response.Headers.GetValues("x-echo-x-forwarded-for").Single().Should().Be("127.0.0.1");
        response.Headers.GetValues("x-echo-x-request-id").Single().Should().MatchRegex("^[0-9a-f-]{36}$");
    }

    [Fact]
    public async Task Weighted_split_80_20_sends_about_80_percent_to_v1()
    {
        await using var v1 = await TestBackend.StartAsync("v1");
        await using var v2 = await TestBackend.StartAsync("v2");
        await using var mesh = await ProxyFixture.StartAsync(new Random(7));
        var port = FreePort.Get();
        await mesh.ApplyAsync(
            EnvoyConfig.EdsCluster("v1"), EnvoyConfig.EdsCluster("v2"),
            EnvoyConfig.Endpoints("v1", v1.Port), EnvoyConfig.Endpoints("v2", v2.Port),
            EnvoyConfig.HttpListener("outbound", port, "r"),
            EnvoyConfig.Routes("r", EnvoyConfig.Weighted("/", ("v1", 80), ("v2", 20))));

        for (var i = 0; i < 1000; i++) (await Client.GetAsync($"http://127.0.0.1:{port}/")).EnsureSuccessStatusCode();

        v1.Requests.Should().BeInRange(750, 850);
        (v1.Requests + v2.Requests).Should().Be(1000);
    }

    [Fact]
    public async Task No_route_answers_404_and_unreachable_endpoint_answers_503()
    {
        await using var mesh = await ProxyFixture.StartAsync();
        var port = FreePort.Get();
        var closed = FreePort.Get();
        await mesh.ApplyAsync(
            EnvoyConfig.EdsCluster("gone"), EnvoyConfig.Endpoints("gone", closed),
            EnvoyConfig.HttpListener("outbound", port, "r"),
            EnvoyConfig.Routes("r", EnvoyConfig.Prefix("/api", "gone")));

        (await Client.GetAsync($"http://127.0.0.1:{port}/other")).StatusCode.Should().Be(HttpStatusCode.NotFound);
        var failed = await Client.GetAsync($"http://127.0.0.1:{port}/api");
        failed.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);
        (await failed.Content.ReadAsStringAsync()).Should().Contain("upstream connect error");
        mesh.Proxy.Stats.Get("outbound", "response_flags_UF").Should().Be(1);
        mesh.Proxy.Stats.Get("outbound", "response_flags_NR").Should().Be(1);
    }

    [Fact]
    public async Task Invalid_update_is_nacked_and_the_last_good_config_keeps_serving()
    {
        await using var backend = await TestBackend.StartAsync("v1");
        await using var mesh = await ProxyFixture.StartAsync();
        var port = FreePort.Get();
        await mesh.ApplyAsync(
            EnvoyConfig.EdsCluster("reviews"), EnvoyConfig.Endpoints("reviews", backend.Port),
            EnvoyConfig.HttpListener("outbound", port, "r"),
            EnvoyConfig.Routes("r", EnvoyConfig.Prefix("/", "reviews")));

        var bad = EnvoyConfig.Routes("r", EnvoyConfig.Prefix("/", "reviews"));
        bad.VirtualHosts[0].Routes[0].Match = new Envoy.Config.Route.V3.RouteMatch { SafeRegex = new Envoy.Type.Matcher.V3.RegexMatcher { Regex = "(unclosed" } };
        mesh.Cache.SetSnapshot(ProxyFixture.NodeId, Rigging.Xds.Cache.Snapshot.Create(
            EnvoyConfig.EdsCluster("reviews"), EnvoyConfig.Endpoints("reviews", backend.Port), EnvoyConfig.HttpListener("outbound", port, "r"), bad));

        var status = await WaitForNackAsync(mesh);
        status.Should().Contain("invalid regex");
        (await Client.GetStringAsync($"http://127.0.0.1:{port}/still")).Should().Be("v1 /still");
    }

    private static async Task<string> WaitForNackAsync(ProxyFixture mesh)
    {
        for (var i = 0; i < 200; i++)
        {
            var nack = mesh.Cache.GetStatus(ProxyFixture.NodeId)?.Types.Values.Select(t => t.NackError).FirstOrDefault(e => e is not null);
            if (nack is not null) return nack;
            await Task.Delay(25);
        }
        throw new TimeoutException("no NACK seen");
    }
}
