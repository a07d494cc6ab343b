using Google.Protobuf;
using Rigging.Xds.Cache;
using Rigging.Xds.Grpc.Server;
using Rigging.Xds.Server;

namespace Rigging.Proxy.Tests.Infrastructure;

/// <summary>
/// A real xDS server (our ADS server over a snapshot cache) and a real proxy connected to it over loopback.
/// Tests set snapshots and wait until the proxy runs them.
/// </summary>
internal sealed class ProxyFixture : IAsyncDisposable
{
    public const string NodeId = "sidecar~127.0.0.1~test.default~default.svc.cluster.local";
    private int _version;

    private ProxyFixture(SnapshotCache cache, GrpcServer server, ProxyHost proxy)
    {
        Cache = cache;
        Server = server;
        Proxy = proxy;
    }

    public SnapshotCache Cache { get; }

    public GrpcServer Server { get; }

    public ProxyHost Proxy { get; }

    /// <param name="drainDuration">How long a removed listener lets requests in flight finish (short by default so
    /// tests that cut connections end fast; a test that waits on a draining request gives it room under load).</param>
    public static async Task<ProxyFixture> StartAsync(Random? random = null, TimeSpan? drainDuration = null)
    {
        var cache = new SnapshotCache();
        var server = await new AdsServer(cache).StartAsync();
        var proxy = await ProxyHost.StartAsync(new ProxyOptions
        {
            Xds = server.Address,
            NodeId = NodeId,
            Workload = "test",
            AdminPort = 0,
            DrainDuration = drainDuration ?? TimeSpan.FromMilliseconds(200),
        }, random: random ?? new Random(42));
        return new ProxyFixture(cache, server, proxy);
    }

    /// <summary>Sets a snapshot and waits until the proxy has accepted every type in it.</summary>
    public async Task ApplyAsync(params IMessage[] resources)
    {
        var snapshot = Snapshot.Create(resources);
        Interlocked.Increment(ref _version);
        Cache.SetSnapshot(NodeId, snapshot);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(10))
        {
            var accepted = Proxy.Ads.AcceptedVersions;
            if (snapshot.TypeUrls.All(t => accepted.TryGetValue(t, out var v) && v == snapshot.Version(t))) return;
            await Task.Delay(20);
        }
        throw new TimeoutException($"the proxy did not accept the snapshot; last error: {Proxy.Ads.LastError}");
    }

    public async ValueTask DisposeAsync()
    {
        await Proxy.DisposeAsync();
        await Server.DisposeAsync();
    }
}
