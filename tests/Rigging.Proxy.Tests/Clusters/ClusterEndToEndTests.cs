using System.Diagnostics;
using System.Net;
using FluentAssertions;
using Microsoft.AspNetCore.Http;
using Rigging.Proxy.Tests.Infrastructure;

namespace Rigging.Proxy.Tests.Clusters;

/// <summary>Circuit breaking, outlier detection and health checks through a real proxy, programmed over ADS, to real backends.</summary>
public sealed class ClusterEndToEndTests
{
    private static readonly HttpClient Client = new(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(10) };

    [Fact]
    public async Task Max_requests_1_answers_503_UO_to_concurrent_requests_while_one_is_in_flight()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var slow = await TestBackend.StartAsync("slow", async context =>
        {
            await release.Task.WaitAsync(TimeSpan.FromSeconds(10));
            await context.Response.WriteAsync("done");
        });
        await using var mesh = await ProxyFixture.StartAsync();
        var port = FreePort.Get();
        await mesh.ApplyAsync(
            EnvoyConfig.EdsCluster("slow").WithCircuitBreakers(maxRequests: 1),
            EnvoyConfig.Endpoints("slow", slow.Port),
            EnvoyConfig.HttpListener("outbound", port, "r"),
            EnvoyConfig.Routes("r", EnvoyConfig.Prefix("/", "slow")));

        var first = Client.GetAsync($"http://127.0.0.1:{port}/");
        await WaitUntilAsync(() => slow.Requests == 1);
        var overflow = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => Client.GetAsync($"http://127.0.0.1:{port}/")));
        release.SetResult();

        (await first).StatusCode.Should().Be(HttpStatusCode.OK);
        overflow.Should().AllSatisfy(r => r.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable));
        (await overflow[0].Content.ReadAsStringAsync()).Should().Contain("overflow");
        mesh.Proxy.Stats.Get("outbound", "response_flags_UO").Should().Be(5);
        mesh.Proxy.State.Current.Clusters["slow"].Stats.UpstreamRqPendingOverflow.Should().Be(5);
        slow.Requests.Should().Be(1);
    }

    [Fact]
    public async Task Backend_answering_5xx_is_ejected_after_3_errors_and_returns_after_the_ejection_time()
    {
        var failing = 1;
        await using var bad = await TestBackend.StartAsync("bad", context =>
        {
            context.Response.StatusCode = Volatile.Read(ref failing) == 1 ? 500 : 200;
            return context.Response.WriteAsync("bad");
        });
        await using var good = await TestBackend.StartAsync("good");
        await using var mesh = await ProxyFixture.StartAsync();
        var port = FreePort.Get();
        await mesh.ApplyAsync(
            EnvoyConfig.EdsCluster("svc").WithOutlierDetection(3, TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(500), maxEjectionPercent: 50),
            EnvoyConfig.Endpoints("svc", bad.Port, good.Port),
            EnvoyConfig.HttpListener("outbound", port, "r"),
            EnvoyConfig.Routes("r", EnvoyConfig.Prefix("/", "svc")));

        // Round robin alternates: after six requests the bad endpoint has answered 500 three times in a row.
        for (var i = 0; i < 6; i++) await Client.GetAsync($"http://127.0.0.1:{port}/");
        var cluster = mesh.Proxy.State.Current.Clusters["svc"];
        cluster.Endpoints.Single(e => e.Config.Port == bad.Port).Ejected.Should().BeTrue();
        var seenByBad = bad.Requests;
        for (var i = 0; i < 10; i++) (await Client.GetAsync($"http://127.0.0.1:{port}/")).StatusCode.Should().Be(HttpStatusCode.OK);
        bad.Requests.Should().Be(seenByBad, "an ejected endpoint takes no traffic");
        cluster.Stats.OutlierEjectionsTotal.Should().Be(1);
        (await Client.GetStringAsync($"http://127.0.0.1:{mesh.Proxy.Admin!.Port}/clusters")).Should().Contain($"svc::127.0.0.1:{bad.Port}::health_flags::/failed_outlier_check");

        Volatile.Write(ref failing, 0);
        await WaitUntilAsync(() => !cluster.Endpoints.Single(e => e.Config.Port == bad.Port).Ejected);
        for (var i = 0; i < 10; i++) (await Client.GetAsync($"http://127.0.0.1:{port}/")).StatusCode.Should().Be(HttpStatusCode.OK);
        bad.Requests.Should().BeGreaterThan(seenByBad, "the endpoint takes traffic again after its ejection time");
    }

    [Fact]
    public async Task Endpoint_failing_its_health_check_stops_receiving_traffic()
    {
        await using var sick = await TestBackend.StartAsync("sick", context =>
        {
            context.Response.StatusCode = context.Request.Path == "/healthz" ? 503 : 200;
            return context.Response.WriteAsync("sick");
        });
        await using var well = await TestBackend.StartAsync("well");
        await using var mesh = await ProxyFixture.StartAsync();
        var port = FreePort.Get();
        await mesh.ApplyAsync(
            EnvoyConfig.EdsCluster("svc").WithHttpHealthCheck("/healthz", TimeSpan.FromMilliseconds(100)),
            EnvoyConfig.Endpoints("svc", sick.Port, well.Port),
            EnvoyConfig.HttpListener("outbound", port, "r"),
            EnvoyConfig.Routes("r", EnvoyConfig.Prefix("/", "svc")));

        var cluster = mesh.Proxy.State.Current.Clusters["svc"];
        await WaitUntilAsync(() => cluster.Endpoints.All(e => e.HealthCheckFailures > 0 || !e.FailedHealthCheck)
            && cluster.Endpoints.Count(e => e.FailedHealthCheck) == 1);
        cluster.Endpoints.Single(e => e.FailedHealthCheck).Config.Port.Should().Be(sick.Port);

        var sickBefore = sick.Requests;
        for (var i = 0; i < 20; i++) (await Client.GetStringAsync($"http://127.0.0.1:{port}/")).Should().StartWith("well");
        // Only health checks (to /healthz) reached the sick endpoint, never a routed request.
        (sick.Requests - sickBefore).Should().BeLessThan(10);
        (await Client.GetStringAsync($"http://127.0.0.1:{mesh.Proxy.Admin!.Port}/clusters")).Should().Contain($"svc::127.0.0.1:{sick.Port}::health_flags::/failed_active_hc");
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed > TimeSpan.FromSeconds(10)) throw new TimeoutException("the condition did not hold within 10 s");
            await Task.Delay(20);
        }
    }
}
