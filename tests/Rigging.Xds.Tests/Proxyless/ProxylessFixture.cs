using System.Globalization;
using System.Text.Json;
using Google.Protobuf;
using Rigging.Xds.Cache;
using Rigging.Xds.Grpc.Server;
using Rigging.Xds.Server;
using Rigging.Xds.Tests.Infrastructure;
using Xunit;

namespace Rigging.Xds.Tests.Proxyless;

/// <summary>
/// Three grpc-js echo servers (v1, v2, v3), our ADS server, and a grpc-js-xds client whose bootstrap points at
/// it. Tests set snapshots and drive calls through <see cref="CallsAsync"/>.
/// </summary>
public sealed class ProxylessFixture : IAsyncLifetime
{
    public const string NodeId = "proxyless-test";

    private NodeProcess? _servers;
    private NodeProcess? _client;
    private GrpcServer? _ads;

    public SnapshotCache Cache { get; } = new();

    public IReadOnlyDictionary<string, int> Ports { get; private set; } = new Dictionary<string, int>();

    public async Task InitializeAsync()
    {
        _servers = NodeProcess.Start("echo-server.js", ["v1", "v2", "v3"]);
        var started = await _servers.ReadJsonAsync(TimeSpan.FromSeconds(20));
        Ports = started.GetProperty("servers").EnumerateArray()
            .ToDictionary(s => s.GetProperty("name").GetString()!, s => s.GetProperty("port").GetInt32());

        _ads = await new AdsServer(Cache).StartAsync();
        string bootstrap = JsonSerializer.Serialize(new
        {
            xds_servers = new[]
            {
                new { server_uri = $"127.0.0.1:{_ads.Port}", channel_creds = new[] { new { type = "insecure" } }, server_features = new[] { "xds_v3" } },
            },
            node = new { id = NodeId, cluster = "test", locality = new { zone = "a" } },
        });
        _client = NodeProcess.Start("xds-client.js", [], new Dictionary<string, string> { ["GRPC_XDS_BOOTSTRAP_CONFIG"] = bootstrap });
        await _client.ReadJsonAsync(TimeSpan.FromSeconds(20));
    }

    public async Task DisposeAsync()
    {
        if (_client is not null)
        {
            await _client.DisposeAsync();
        }

        if (_servers is not null)
        {
            await _servers.DisposeAsync();
        }

        if (_ads is not null)
        {
            await _ads.DisposeAsync();
        }
    }

    /// <summary>The three EDS clusters with their endpoints, plus the given listener and routes.</summary>
    public Snapshot Build(params IMessage[] listenerAndRoutes)
    {
        var resources = new List<IMessage>(listenerAndRoutes);
        foreach (var (name, port) in Ports)
        {
            resources.Add(XdsResources.EdsCluster(name));
            resources.Add(XdsResources.Endpoints(name, port));
        }

        return Snapshot.Create(resources);
    }

    /// <summary>Sets the snapshot and waits until the client has ACKed every type it changed (bounded).</summary>
    public async Task SetAndWaitForAckAsync(Snapshot snapshot)
    {
        var before = Cache.GetStatus(NodeId);
        var result = Cache.SetSnapshot(NodeId, snapshot);
        if (!result.Applied)
        {
            throw new InvalidOperationException(string.Join("\n", result.Errors));
        }

        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            var status = Cache.GetStatus(NodeId);
            if (status is null || status.ConnectedStreams == 0)
            {
                await CallsAsync(1); // grpc-js-xds connects to xDS lazily, on the first call
            }

            bool done = status is not null && status.Types.Count >= 4 && result.ChangedTypes.Where(t => status.For(t) is not null).All(type =>
            {
                var now = status.For(type);
                var old = before?.For(type);
                return now?.SentVersion is not null && now.AckedVersion == now.SentVersion && now.SentNonce != old?.SentNonce;
            });
            if (done)
            {
                return;
            }

            if (clock.Elapsed > TimeSpan.FromSeconds(15))
            {
                throw new TimeoutException("The client did not ACK the snapshot: " + string.Join("; ", status?.Types.Values.Select(t => t.ToString()) ?? []));
            }

            await Task.Delay(20);
        }
    }

    /// <summary>Waits until the client has made its first successful call (it resolves xDS lazily).</summary>
    public async Task WaitUntilServingAsync()
    {
        for (int i = 0; i < 100; i++)
        {
            var result = await CallsAsync(1);
            if (result.Total(ok: true) == 1)
            {
                return;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException("The grpc-js-xds client never made a successful call.");
    }

    public async Task<CallResult> CallsAsync(int n, IReadOnlyDictionary<string, string>? metadata = null, int concurrency = 20)
    {
        var reply = await _client!.RequestAsync(
            new { op = "calls", n, concurrency, metadata = metadata ?? new Dictionary<string, string>(), deadlineMs = 3000 },
            TimeSpan.FromSeconds(60));
        var servers = reply.GetProperty("servers").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetInt32());
        var codes = reply.GetProperty("codes").EnumerateObject()
            .ToDictionary(p => int.Parse(p.Name, CultureInfo.InvariantCulture), p => p.Value.GetInt32());
        var errors = reply.GetProperty("errors").EnumerateArray().Select(e => e.GetString() ?? "").ToList();
        return new CallResult(servers, codes, errors);
    }
}
