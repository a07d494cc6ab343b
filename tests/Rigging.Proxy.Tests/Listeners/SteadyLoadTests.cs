using FluentAssertions;
using Rigging.Proxy.Tests.Infrastructure;

namespace Rigging.Proxy.Tests.Listeners;

/// <summary>Issue 4 item 5: config updates under load lose no request.</summary>
public sealed class SteadyLoadTests
{
    [Fact]
    public async Task Fifty_config_updates_under_steady_load_fail_no_request()
    {
        await using var a = await TestBackend.StartAsync("a");
        await using var b = await TestBackend.StartAsync("b");
        await using var mesh = await ProxyFixture.StartAsync(new Random(11));
        var port = FreePort.Get();
        await mesh.ApplyAsync(Config(port, 0, a.Port, b.Port));

        using var stop = new CancellationTokenSource();
        var failures = 0;
        var succeeded = 0;
        var clients = Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            using var client = new HttpClient(new SocketsHttpHandler { UseProxy = false });
            // Bounded: at most 100,000 requests per client, and the updates end the loop far sooner.
            for (var i = 0; i < 100_000 && !stop.IsCancellationRequested; i++)
            {
                try
                {
                    using var response = await client.GetAsync($"http://127.0.0.1:{port}/load");
                    var body = await response.Content.ReadAsStringAsync();
                    if (!response.IsSuccessStatusCode || !(body == "a /load" || body == "b /load")) Interlocked.Increment(ref failures);
                    else Interlocked.Increment(ref succeeded);
                }
                catch (HttpRequestException)
                {
                    Interlocked.Increment(ref failures);
                }
            }
        })).ToArray();

        for (var update = 1; update <= 50; update++) await mesh.ApplyAsync(Config(port, update, a.Port, b.Port));
        await stop.CancelAsync();
        await Task.WhenAll(clients).WaitAsync(TimeSpan.FromSeconds(30));

        failures.Should().Be(0);
        succeeded.Should().BeGreaterThan(100);
    }

    /// <summary>
    /// Each update moves the route between two clusters and changes both clusters' endpoint sets; backends a and b
    /// are equivalent. (Clusters keep their names: a brand-new cluster would need Envoy's cluster warming — wait
    /// for its EDS before routes use it — which the applier does not do yet.)
    /// </summary>
    private static Google.Protobuf.IMessage[] Config(int port, int version, int portA, int portB) =>
    [
        EnvoyConfig.EdsCluster("one"), EnvoyConfig.EdsCluster("two"),
        EnvoyConfig.Endpoints("one", version % 3 == 0 ? [portA, portB] : [portA]),
        EnvoyConfig.Endpoints("two", version % 3 == 1 ? [portB] : [portB, portA]),
        EnvoyConfig.HttpListener("in", port, "r"),
        EnvoyConfig.Routes("r", EnvoyConfig.Weighted("/", ("one", (uint)(version % 2 == 0 ? 100 : 30)), ("two", (uint)(version % 2 == 0 ? 0 : 70)))),
    ];
}
