using System.Collections.Concurrent;
using Envoy.Config.Cluster.V3;
using Envoy.Config.Core.V3;
using FluentAssertions;
using Rigging.Xds.Cache;
using Rigging.Xds.Client;
using Rigging.Xds.Grpc.Server;
using Rigging.Xds.Server;
using Rigging.Xds.Tests.Infrastructure;
using Xunit;
using static Rigging.Xds.Tests.Infrastructure.AdsTestServer;

namespace Rigging.Xds.Tests.Client;

public sealed class AdsClientTests
{
    private static readonly Dictionary<string, IReadOnlyList<string>> Everything = new()
    {
        [TypeUrls.Cluster] = [],
        [TypeUrls.ClusterLoadAssignment] = ["a", "b"],
        [TypeUrls.Listener] = [],
        [TypeUrls.RouteConfiguration] = ["r"],
    };

    [Fact]
    public async Task Client_applies_each_type_and_the_server_sees_its_acks()
    {
        await using var ads = await AdsTestServer.StartAsync();
        ads.Cache.SetSnapshot("proxy-1", Mesh());
        var applied = new ConcurrentQueue<AdsUpdate>();
        await using var client = NewClient(ads.Server.Address, u =>
        {
            applied.Enqueue(u);
            return ApplyResult.Accept();
        });

        client.Start();
        await WaitUntilAsync(() => client.AcceptedVersions.Count == 4);
        await WaitUntilAsync(() => ads.Cache.GetStatus("proxy-1")!.For(TypeUrls.RouteConfiguration)?.AckedVersion is not null);

        applied.Select(u => u.TypeUrl).Should().Equal(TypeUrls.Cluster, TypeUrls.ClusterLoadAssignment, TypeUrls.Listener, TypeUrls.RouteConfiguration);
        applied.First().Unpack<Cluster>().Select(c => c.Name).Should().BeEquivalentTo(["a", "b"]);
        client.AcceptedVersions[TypeUrls.Cluster].Should().Be(ads.Cache.GetStatus("proxy-1")!.For(TypeUrls.Cluster)!.AckedVersion);
    }

    [Fact]
    public async Task Rejected_update_is_nacked_with_the_reason_and_the_accepted_version_stays()
    {
        await using var ads = await AdsTestServer.StartAsync();
        ads.Cache.SetSnapshot("proxy-1", Mesh());
        await using var client = NewClient(ads.Server.Address, u =>
            u.TypeUrl == TypeUrls.ClusterLoadAssignment && u.Resources.Count > 0 && u.Unpack<Envoy.Config.Endpoint.V3.ClusterLoadAssignment>()
                .Any(a => a.Endpoints[0].LbEndpoints[0].Endpoint.Address.SocketAddress.PortValue == 6666)
                ? ApplyResult.Reject("endpoint port 6666 is reserved")
                : ApplyResult.Accept());
        client.Start();
        await WaitUntilAsync(() => client.AcceptedVersions.Count == 4);
        string good = client.AcceptedVersions[TypeUrls.ClusterLoadAssignment];

        ads.Cache.SetSnapshot("proxy-1", Mesh(portB: 6666));
        await WaitUntilAsync(() => ads.Cache.GetStatus("proxy-1")!.For(TypeUrls.ClusterLoadAssignment)!.NackError is not null);

        var status = ads.Cache.GetStatus("proxy-1")!.For(TypeUrls.ClusterLoadAssignment)!;
        status.NackError.Should().Be("endpoint port 6666 is reserved");
        status.AckedVersion.Should().Be(good);
        client.AcceptedVersions[TypeUrls.ClusterLoadAssignment].Should().Be(good);
    }

    [Fact]
    public async Task Nack_is_logged_as_a_warning_on_both_sides()
    {
        var cache = new SnapshotCache();
        cache.SetSnapshot("proxy-1", Mesh());
        var serverLog = new ListLogger();
        var clientLog = new ListLogger();
        await using var server = await new AdsServer(cache, new AdsServerOptions { Logger = serverLog }).StartAsync();
        await using var client = new AdsClient(new AdsClientOptions
        {
            Address = server.Address,
            Node = new Node { Id = "proxy-1" },
            Subscriptions = Everything,
            Apply = u => u.TypeUrl == TypeUrls.Listener ? ApplyResult.Reject("listener l: port 0 is not allowed") : ApplyResult.Accept(),
            Logger = clientLog,
        });

        client.Start();
        await WaitUntilAsync(() => serverLog.Entries.Any(e => e.Message.Contains("NACK", StringComparison.Ordinal)));

        serverLog.Entries.Should().Contain(e => e.Level == Microsoft.Extensions.Logging.LogLevel.Warning
            && e.Message.Contains("proxy-1") && e.Message.Contains("Listener") && e.Message.Contains("port 0 is not allowed"));
        serverLog.Entries.Should().Contain(e => e.Message.Contains("stream opened by node proxy-1"));
        clientLog.Entries.Should().Contain(e => e.Level == Microsoft.Extensions.Logging.LogLevel.Warning && e.Message.Contains("port 0 is not allowed"));
    }

    [Fact]
    public async Task Client_reconnects_after_the_server_restarts_and_resubscribes()
    {
        var cache = new SnapshotCache();
        cache.SetSnapshot("proxy-1", Mesh());
        var first = await new AdsServer(cache).StartAsync();
        int port = first.Port;
        await using var client = NewClient(first.Address, _ => ApplyResult.Accept());
        client.Start();
        await WaitUntilAsync(() => client.AcceptedVersions.Count == 4);

        await first.DisposeAsync();
        cache.SetSnapshot("proxy-1", Mesh(portB: 4242));
        await using var second = await new AdsServer(cache, new AdsServerOptions { Grpc = new GrpcServerOptions { Port = port } }).StartAsync();
        await WaitUntilAsync(() => client.AcceptedVersions[TypeUrls.ClusterLoadAssignment] == Mesh(portB: 4242).Version(TypeUrls.ClusterLoadAssignment), seconds: 20);

        client.Connects.Should().BeGreaterThan(1);
    }

    [Fact]
    public void Backoff_doubles_with_jitter_and_stops_at_the_cap()
    {
        var backoff = new AdsBackoff(TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(1), new Random(42));

        var waits = Enumerable.Range(0, 8).Select(backoff.Next).ToList();

        waits[0].TotalMilliseconds.Should().BeInRange(50, 100);
        waits[1].TotalMilliseconds.Should().BeInRange(100, 200);
        waits[2].TotalMilliseconds.Should().BeInRange(200, 400);
        waits.Skip(4).Should().OnlyContain(w => w.TotalMilliseconds >= 500 && w.TotalMilliseconds <= 1000);
        waits.Distinct().Should().HaveCount(8, "jitter spreads reconnects");
    }

    private static AdsClient NewClient(Uri address, Func<AdsUpdate, ApplyResult> apply) => new(new AdsClientOptions
    {
        Address = address,
        Node = new Node { Id = "proxy-1" },
        Subscriptions = Everything,
        Apply = apply,
        InitialBackoff = TimeSpan.FromMilliseconds(50),
        MaxBackoff = TimeSpan.FromMilliseconds(500),
        Random = new Random(7),
    });

    private static async Task WaitUntilAsync(Func<bool> condition, int seconds = 10)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (!condition() && clock.Elapsed < TimeSpan.FromSeconds(seconds))
        {
            await Task.Delay(20);
        }

        condition().Should().BeTrue($"the condition should hold within {seconds} s");
    }
}
