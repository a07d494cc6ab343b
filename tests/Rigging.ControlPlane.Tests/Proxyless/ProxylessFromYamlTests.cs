using System.Globalization;
using System.Text.Json;
using FluentAssertions;
using Rigging.Xds.Tests.Infrastructure;

namespace Rigging.ControlPlane.Tests.Proxyless;

/// <summary>
/// The proxyless gRPC proof, now from Istio YAML: a real control plane reads a Service, WorkloadEntries, a
/// DestinationRule and a VirtualService from a directory, and an independent xDS client (@grpc/grpc-js-xds)
/// follows them against three real grpc-js echo servers.
/// </summary>
public sealed class ProxylessFromYamlTests : IAsyncLifetime
{
    private const string Target = "xds:///echo.test.svc.cluster.local:7070";
    private readonly string _config = Directory.CreateTempSubdirectory("rigging-proxyless-").FullName;
    private NodeProcess? _servers;
    private NodeProcess? _client;
    private string _lastReply = "";
    private ControlPlaneHost? _host;

    public async Task InitializeAsync()
    {
        _servers = NodeProcess.Start("echo-server.js", ["v1", "v2", "v3"]);
        var started = await _servers.ReadJsonAsync(TimeSpan.FromSeconds(20));
        var ports = started.GetProperty("servers").EnumerateArray()
            .ToDictionary(s => s.GetProperty("name").GetString()!, s => s.GetProperty("port").GetInt32());

        await File.WriteAllTextAsync(Path.Combine(_config, "echo.yaml"), Workloads(ports) + """
            apiVersion: v1
            kind: Service
            metadata: {name: echo, namespace: test}
            spec:
              selector: {app: echo}
              ports: [{name: grpc, port: 7070}]
            ---
            apiVersion: networking.istio.io/v1
            kind: DestinationRule
            metadata: {name: echo, namespace: test}
            spec:
              host: echo
              subsets:
              - {name: v1, labels: {version: v1}}
              - {name: v2, labels: {version: v2}}
              - {name: v3, labels: {version: v3}}
            """);
        await WriteRoutesAsync(v1: 80, v2: 20);

        _host = await ControlPlaneHost.StartAsync(new ControlPlaneOptions { ConfigDirectory = _config, XdsPort = 0, HttpPort = 0 });
        var bootstrap = JsonSerializer.Serialize(new
        {
            xds_servers = new[] { new { server_uri = $"127.0.0.1:{_host.XdsPort}", channel_creds = new[] { new { type = "insecure" } }, server_features = new[] { "xds_v3" } } },
            node = new { id = "grpc-client~test", cluster = "test", locality = new { zone = "a" }, metadata = new { GENERATOR = "grpc", NAMESPACE = "test" } },
        });
        _client = NodeProcess.Start("xds-client.js", [Target], new Dictionary<string, string> { ["GRPC_XDS_BOOTSTRAP_CONFIG"] = bootstrap });
        await _client.ReadJsonAsync(TimeSpan.FromSeconds(20));
    }

    [Fact]
    public async Task Weighted_80_20_split_from_yaml_lands_within_5_percent_and_a_header_route_goes_to_v2_only()
    {
        await WaitUntilAsync(async () => (await CallsAsync(1)).Values.Sum() == 1);

        var split = await CallsAsync(2000);
        split.GetValueOrDefault("v1").Should().BeInRange(1500, 1700);
        split.GetValueOrDefault("v2").Should().BeInRange(300, 500);

        var jason = await CallsAsync(200, new Dictionary<string, string> { ["x-user"] = "jason" });
        jason.Should().ContainKey("v2").WhoseValue.Should().Be(200);
    }

    [Fact]
    public async Task Editing_the_virtual_service_file_moves_traffic_within_seconds()
    {
        await WaitUntilAsync(async () => (await CallsAsync(1)).Values.Sum() == 1);

        await WriteRoutesAsync(v1: 0, v2: 0, v3: 100);

        await WaitUntilAsync(async () => (await CallsAsync(50)).GetValueOrDefault("v3") == 50);
    }

    private async Task WriteRoutesAsync(int v1, int v2, int v3 = 0) =>
        await File.WriteAllTextAsync(Path.Combine(_config, "routes.yaml"), string.Create(CultureInfo.InvariantCulture, $$$"""
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {name: echo, namespace: test}
            spec:
              hosts: [echo]
              http:
              - match:
                - headers:
                    x-user:
                      exact: jason
                route:
                - destination: {host: echo, subset: v2}
              - route:
                - destination: {host: echo, subset: v1}
                  weight: {{{v1}}}
                - destination: {host: echo, subset: v2}
                  weight: {{{v2}}}
                - destination: {host: echo, subset: v3}
                  weight: {{{v3}}}
            """));

    private static string Workloads(Dictionary<string, int> ports) => string.Concat(ports.Select(p => string.Create(CultureInfo.InvariantCulture, $$$"""
        apiVersion: networking.istio.io/v1
        kind: WorkloadEntry
        metadata:
          name: echo-{{{p.Key}}}
          namespace: test
        spec:
          address: 127.0.0.1
          labels:
            app: echo
            version: {{{p.Key}}}
          ports:
            grpc: {{{p.Value}}}
        ---

        """)));

    private async Task<Dictionary<string, int>> CallsAsync(int n, IReadOnlyDictionary<string, string>? metadata = null)
    {
        var reply = await _client!.RequestAsync(
            new { op = "calls", n, concurrency = 20, metadata = metadata ?? new Dictionary<string, string>(), deadlineMs = 3000 },
            TimeSpan.FromSeconds(60));
        _lastReply = reply.ToString();
        return reply.GetProperty("servers").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetInt32());
    }

    private async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(20))
        {
            if (await condition()) return;
            await Task.Delay(100);
        }
        throw new TimeoutException($"the grpc-js-xds client did not follow the configuration within 20 s; last reply: {_lastReply}; "
            + $"control plane: {string.Join(", ", _host!.Cache.GetStatuses().Select(s => $"{s.NodeId}: {string.Join(" ", s.Types.Values.Select(t => $"{t.TypeUrl[(t.TypeUrl.LastIndexOf('.') + 1)..]} sent={t.SentVersion} acked={t.AckedVersion} nack={t.NackError}"))}"))}");
    }

    public async Task DisposeAsync()
    {
        if (_client is not null) await _client.DisposeAsync();
        if (_servers is not null) await _servers.DisposeAsync();
        if (_host is not null) await _host.DisposeAsync();
        Directory.Delete(_config, recursive: true);
    }
}
