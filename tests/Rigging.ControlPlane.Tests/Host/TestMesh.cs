using System.Collections.Concurrent;
using System.Net;
using Envoy.Config.Endpoint.V3;
using Rigging.ControlPlane.Config;
using Rigging.Proxy;
using Rigging.Xds.Cache;
using Rigging.Xds.Client;

namespace Rigging.ControlPlane.Tests.Host;

/// <summary>A control plane on free loopback ports over a temporary config directory, and ADS clients for it.</summary>
internal sealed class TestMesh : IAsyncDisposable
{
    public const string ReviewsService = """
        apiVersion: v1
        kind: Service
        metadata:
          name: reviews
          namespace: default
        spec:
          selector:
            app: reviews
          ports:
          - name: http
            port: 9080
        """;

    private readonly List<AdsClient> _clients = [];

    private TestMesh(string directory, ControlPlaneHost host)
    {
        Directory = directory;
        Host = host;
        Http = new HttpClient { BaseAddress = host.HttpAddress, Timeout = TimeSpan.FromSeconds(20) };
    }

    public string Directory { get; }

    public ControlPlaneHost Host { get; }

    public HttpClient Http { get; }

    public static async Task<TestMesh> StartAsync(TimeSpan? grace = null, params (string File, string Text)[] files)
    {
        var directory = TempDirectory.Create();
        foreach (var (file, text) in files) await File.WriteAllTextAsync(Path.Combine(directory, file), text);
        var host = await ControlPlaneHost.StartAsync(new ControlPlaneOptions
        {
            ConfigDirectory = directory,
            XdsPort = 0,
            HttpPort = 0,
            RegistrationGracePeriod = grace ?? TimeSpan.FromSeconds(10),
            ConfigRescanPeriod = TimeSpan.FromMilliseconds(500),
        });
        return new TestMesh(directory, host);
    }

    /// <summary>An ADS client announcing a workload as the proxy's NodeIdentity does; updates land in <paramref name="seen"/>.</summary>
    public AdsClient Connect(
        string nodeId, string workload, IReadOnlyDictionary<string, string> labels, string address, int? inboundPort,
        ConcurrentDictionary<string, AdsUpdate>? seen = null, Func<AdsUpdate, ApplyResult>? apply = null, params string[] endpointNames)
    {
        var node = NodeIdentity.Create(new ProxyOptions
        {
            Xds = Host.XdsAddress,
            NodeId = nodeId,
            Workload = workload,
            Labels = labels,
            Address = IPAddress.Parse(address),
            InboundPort = inboundPort,
            AppPort = inboundPort is null ? null : 9080,
        });
        var client = new AdsClient(new AdsClientOptions
        {
            Address = Host.XdsAddress,
            Node = node,
            InitialBackoff = TimeSpan.FromMilliseconds(50),
            MaxBackoff = TimeSpan.FromMilliseconds(200),
            Subscriptions = new Dictionary<string, IReadOnlyList<string>>
            {
                [TypeUrls.Cluster] = [],
                [TypeUrls.Listener] = [],
                [TypeUrls.ClusterLoadAssignment] = endpointNames,
            },
            Apply = update =>
            {
                var result = apply?.Invoke(update) ?? ApplyResult.Accept();
                if (result.Accepted) seen?.AddOrUpdate(update.TypeUrl, update, (_, _) => update);
                return result;
            },
        });
        client.Start();
        _clients.Add(client);
        return client;
    }

    /// <summary>Closes a client's stream (as a stopped proxy would).</summary>
    public async Task DisconnectAsync(AdsClient client)
    {
        _clients.Remove(client);
        await client.DisposeAsync();
    }

    public static IEnumerable<string> Endpoints(ConcurrentDictionary<string, AdsUpdate> seen, string cluster) =>
        seen.TryGetValue(TypeUrls.ClusterLoadAssignment, out var update)
            ? update.Unpack<ClusterLoadAssignment>().Where(a => a.ClusterName == cluster)
                .SelectMany(a => a.Endpoints).SelectMany(l => l.LbEndpoints)
                .Select(e => $"{e.Endpoint.Address.SocketAddress.Address}:{e.Endpoint.Address.SocketAddress.PortValue}")
            : [];

    /// <summary>Polls a condition every 20 ms for up to <paramref name="seconds"/>.</summary>
    public static async Task<bool> EventuallyAsync(Func<bool> condition, double seconds = 10)
    {
        for (var i = 0; i < seconds * 50; i++)
        {
            if (condition()) return true;
            await Task.Delay(20);
        }
        return condition();
    }

    public static async Task<bool> EventuallyAsync(Func<Task<bool>> condition, double seconds = 10)
    {
        for (var i = 0; i < seconds * 50; i++)
        {
            if (await condition()) return true;
            await Task.Delay(20);
        }
        return await condition();
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var client in _clients) await client.DisposeAsync();
        Http.Dispose();
        await Host.DisposeAsync();
        TempDirectory.Delete(Directory);
    }
}
