using FluentAssertions;
using Rigging.Proxy.Tests.Admin;
using Rigging.Proxy.Tests.Infrastructure;
using Rigging.Xds.Cache;
using Rigging.Xds.Grpc.Server;
using Rigging.Xds.Server;

namespace Rigging.Proxy.Tests.Host;

/// <summary>Static stability: with the xDS server gone the proxy keeps routing; when it returns, the proxy reconnects.</summary>
public sealed class StaticStabilityTests
{
    private static readonly HttpClient Client = new(new SocketsHttpHandler { UseProxy = false, PooledConnectionLifetime = TimeSpan.Zero });

    [Fact]
    public async Task Proxy_keeps_serving_while_the_xds_server_is_down_and_takes_new_config_after_it_restarts()
    {
        await using var v1 = await TestBackend.StartAsync("v1");
        await using var v2 = await TestBackend.StartAsync("v2");
        var cache = new SnapshotCache();
        var xdsPort = FreePort.Get();
        var options = new AdsServerOptions { Grpc = new GrpcServerOptions { Port = xdsPort } };
        var server = await new AdsServer(cache, options).StartAsync();
        var listenerPort = FreePort.Get();
        const string node = "sidecar~127.0.0.1~stable.default~default.svc.cluster.local";
        cache.SetSnapshot(node, Snapshot.Create(AdminEndpointTests.Mesh(v1.Port, listenerPort)));
        await using var proxy = await ProxyHost.StartAsync(new ProxyOptions
        {
            Xds = server.Address, NodeId = node, Workload = "stable", AdminPort = 0, DrainDuration = TimeSpan.FromMilliseconds(100),
        }, random: new Random(1));
        await WaitAsync(() => proxy.State.Ready && proxy.State.Current.Routes.Count == 1);
        (await Client.GetStringAsync($"http://127.0.0.1:{listenerPort}/api")).Should().Be("v1 /api");
        var connects = proxy.Ads.Connects;

        await server.DisposeAsync();
        await WaitAsync(() => proxy.Ads.LastError is not null);
        for (var i = 0; i < 5; i++) (await Client.GetStringAsync($"http://127.0.0.1:{listenerPort}/api")).Should().Be("v1 /api");

        cache.SetSnapshot(node, Snapshot.Create(AdminEndpointTests.Mesh(v2.Port, listenerPort)));
        await using var restarted = await new AdsServer(cache, options).StartAsync();
        await WaitAsync(() => proxy.Ads.Connects > connects, seconds: 20);
        await WaitAsync(async () => await Client.GetStringAsync($"http://127.0.0.1:{listenerPort}/api") == "v2 /api");
    }

    private static Task WaitAsync(Func<bool> condition, int seconds = 10) => WaitAsync(() => Task.FromResult(condition()), seconds);

    private static async Task WaitAsync(Func<Task<bool>> condition, int seconds = 10)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(seconds))
        {
            if (await condition()) return;
            await Task.Delay(50);
        }
        throw new TimeoutException("condition not met in time");
    }
}
