using System.Net;
using System.Text.Json;
using FluentAssertions;
using Rigging.Proxy.Tests.Infrastructure;

namespace Rigging.Proxy.Tests.Admin;

/// <summary>The admin endpoints of a real proxy programmed over ADS: /ready, /config_dump, /stats, /quitquitquit.</summary>
public sealed class AdminEndpointTests
{
    private static readonly HttpClient Client = new(new SocketsHttpHandler { UseProxy = false, PooledConnectionLifetime = TimeSpan.Zero });

    [Fact]
    public async Task Ready_is_503_pre_initializing_until_listeners_arrive_then_200_live()
    {
        await using var backend = await TestBackend.StartAsync("v1");
        await using var mesh = await ProxyFixture.StartAsync();
        var admin = $"http://127.0.0.1:{mesh.Proxy.Admin!.Port}";

        var before = await Client.GetAsync($"{admin}/ready");
        before.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);
        (await before.Content.ReadAsStringAsync()).Should().Be("PRE_INITIALIZING\n");

        await mesh.ApplyAsync(Mesh(backend.Port, FreePort.Get()));

        var after = await Client.GetAsync($"{admin}/ready");
        after.StatusCode.Should().Be(HttpStatusCode.OK);
        (await after.Content.ReadAsStringAsync()).Should().Be("LIVE\n");
    }

    [Fact]
    public async Task Config_dump_has_envoy_shape_with_typed_dumps_dynamic_lists_and_versions()
    {
        await using var backend = await TestBackend.StartAsync("v1");
        await using var mesh = await ProxyFixture.StartAsync();
        await mesh.ApplyAsync(Mesh(backend.Port, FreePort.Get()));

        using var dump = JsonDocument.Parse(await Client.GetStringAsync($"http://127.0.0.1:{mesh.Proxy.Admin!.Port}/config_dump"));

        var configs = dump.RootElement.GetProperty("configs").EnumerateArray().ToDictionary(c => c.GetProperty("@type").GetString()!);
        configs.Keys.Should().Contain([
            "type.googleapis.com/envoy.admin.v3.ClustersConfigDump",
            "type.googleapis.com/envoy.admin.v3.EndpointsConfigDump",
            "type.googleapis.com/envoy.admin.v3.ListenersConfigDump",
            "type.googleapis.com/envoy.admin.v3.RoutesConfigDump",
        ]);
        var listener = configs["type.googleapis.com/envoy.admin.v3.ListenersConfigDump"].GetProperty("dynamic_listeners")[0];
        listener.GetProperty("name").GetString().Should().Be("outbound");
        var active = listener.GetProperty("active_state");
        active.GetProperty("version_info").GetString().Should().NotBeNullOrEmpty();
        active.GetProperty("last_updated").GetString().Should().EndWith("Z");
        active.GetProperty("listener").GetProperty("@type").GetString().Should().Be("type.googleapis.com/envoy.config.listener.v3.Listener");
        // Proto field names, and the HTTP connection manager inside its Any.
        var filter = active.GetProperty("listener").GetProperty("filter_chains")[0].GetProperty("filters")[0];
        filter.GetProperty("typed_config").GetProperty("@type").GetString().Should().EndWith("HttpConnectionManager");
        filter.GetProperty("typed_config").GetProperty("stat_prefix").GetString().Should().Be("outbound");

        var cluster = configs["type.googleapis.com/envoy.admin.v3.ClustersConfigDump"].GetProperty("dynamic_active_clusters")[0];
        cluster.GetProperty("cluster").GetProperty("name").GetString().Should().Be("reviews");
        configs["type.googleapis.com/envoy.admin.v3.RoutesConfigDump"].GetProperty("dynamic_route_configs")[0]
            .GetProperty("route_config").GetProperty("name").GetString().Should().Be("r");
        configs["type.googleapis.com/envoy.admin.v3.EndpointsConfigDump"].GetProperty("dynamic_endpoint_configs")[0]
            .GetProperty("endpoint_config").GetProperty("cluster_name").GetString().Should().Be("reviews");
    }

    [Fact]
    public async Task Stats_are_prometheus_text_with_code_classes_flags_and_the_request_time_histogram()
    {
        await using var backend = await TestBackend.StartAsync("v1");
        await using var mesh = await ProxyFixture.StartAsync();
        var port = FreePort.Get();
        await mesh.ApplyAsync(Mesh(backend.Port, port));

        for (var i = 0; i < 3; i++) (await Client.GetAsync($"http://127.0.0.1:{port}/api/{i}")).EnsureSuccessStatusCode();
        (await Client.GetAsync($"http://127.0.0.1:{port}/nowhere")).StatusCode.Should().Be(HttpStatusCode.NotFound);

        var response = await Client.GetAsync($"http://127.0.0.1:{mesh.Proxy.Admin!.Port}/stats/prometheus");
        response.Content.Headers.ContentType!.ToString().Should().StartWith("text/plain");
        var lines = (await response.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries);

        lines.Should().Contain("envoy_http_downstream_rq_total{envoy_http_conn_manager_prefix=\"outbound\"} 4");
        lines.Should().Contain("envoy_http_downstream_rq_xx{envoy_response_code_class=\"2\",envoy_http_conn_manager_prefix=\"outbound\"} 3");
        lines.Should().Contain("envoy_http_downstream_rq_xx{envoy_response_code_class=\"4\",envoy_http_conn_manager_prefix=\"outbound\"} 1");
        lines.Should().Contain("envoy_http_downstream_rq_response_flags{envoy_http_conn_manager_prefix=\"outbound\",response_flags=\"NR\"} 1");
        lines.Should().Contain("# TYPE envoy_http_downstream_rq_time histogram");
        lines.Should().Contain("envoy_http_downstream_rq_time_bucket{envoy_http_conn_manager_prefix=\"outbound\",le=\"+Inf\"} 4");
        lines.Should().Contain("envoy_http_downstream_rq_time_count{envoy_http_conn_manager_prefix=\"outbound\"} 4");
        lines.Should().Contain(l => l.StartsWith("envoy_http_downstream_rq_time_bucket{envoy_http_conn_manager_prefix=\"outbound\",le=\"0.5\"}", StringComparison.Ordinal));
        lines.Should().Contain("envoy_cluster_membership_healthy{envoy_cluster_name=\"reviews\"} 1");
        lines.Should().Contain("envoy_cluster_upstream_rq_total{envoy_cluster_name=\"reviews\"} 3");
        lines.Should().Contain("# TYPE envoy_cluster_upstream_rq_pending_overflow counter");
        // Prometheus wants one TYPE line per family.
        lines.Where(l => l.StartsWith("# TYPE", StringComparison.Ordinal)).Should().OnlyHaveUniqueItems();
    }

    [Fact]
    public async Task Quitquitquit_needs_post_and_asks_the_host_to_stop()
    {
        await using var mesh = await ProxyFixture.StartAsync();
        var admin = $"http://127.0.0.1:{mesh.Proxy.Admin!.Port}";

        (await Client.GetAsync($"{admin}/quitquitquit")).StatusCode.Should().Be(HttpStatusCode.NotFound);
        mesh.Proxy.QuitRequested.IsCompleted.Should().BeFalse();

        (await Client.PostAsync($"{admin}/quitquitquit", null)).StatusCode.Should().Be(HttpStatusCode.OK);
        await mesh.Proxy.QuitRequested.WaitAsync(TimeSpan.FromSeconds(5));
    }

    internal static Google.Protobuf.IMessage[] Mesh(int backendPort, int listenerPort) =>
    [
        EnvoyConfig.EdsCluster("reviews"),
        EnvoyConfig.Endpoints("reviews", backendPort),
        EnvoyConfig.HttpListener("outbound", listenerPort, "r"),
        EnvoyConfig.Routes("r", EnvoyConfig.Prefix("/api", "reviews")),
    ];
}
