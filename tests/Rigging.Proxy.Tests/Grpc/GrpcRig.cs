using System.Text.Json;
using Rigging.Proxy.Tests.Infrastructure;

namespace Rigging.Proxy.Tests.Grpc;

/// <summary>
/// A grpc-js backend behind a real proxy with two HTTP listeners to one h2c cluster — one plain, one whose
/// route retries on "unavailable" — and a grpc-js client on each, calling over h2c. Started once per test
/// class (xUnit runs a class's tests one at a time); everything is stopped on dispose.
/// </summary>
public sealed class GrpcRig : IAsyncLifetime
{
    private NodeHelper? _server;
    private ProxyFixture? _proxy;
    private NodeHelper? _client;
    private NodeHelper? _retryingClient;

    internal NodeHelper Server => _server ?? throw new InvalidOperationException("not started");

    internal ProxyFixture Proxy => _proxy ?? throw new InvalidOperationException("not started");

    public async Task InitializeAsync()
    {
        _server = NodeHelper.Start("grpc-server.js");
        var backendPort = (await _server.ReadJsonAsync(TimeSpan.FromSeconds(10))).GetProperty("port").GetInt32();
        _proxy = await ProxyFixture.StartAsync();
        int plainPort = FreePort.Get(), retryingPort = FreePort.Get();
        await _proxy.ApplyAsync(
            EnvoyConfig.HttpListener("plain", plainPort, "plain"),
            EnvoyConfig.HttpListener("retrying", retryingPort, "retrying"),
            EnvoyConfig.GrpcRoutes("plain", "grpc"),
            EnvoyConfig.GrpcRoutes("retrying", "grpc", retryOn: "unavailable"),
            EnvoyConfig.GrpcCluster("grpc"),
            EnvoyConfig.Endpoints("grpc", backendPort));
        _client = NodeHelper.Start("grpc-client.js", $"127.0.0.1:{plainPort}");
        _retryingClient = NodeHelper.Start("grpc-client.js", $"127.0.0.1:{retryingPort}");
        await _client.ReadJsonAsync(TimeSpan.FromSeconds(10));
        await _retryingClient.ReadJsonAsync(TimeSpan.FromSeconds(10));
    }

    /// <summary>One call through the plain listener.</summary>
    internal Task<JsonElement> CallAsync(object command, TimeSpan? timeout = null) => Need(_client).RequestAsync(command, timeout);

    /// <summary>One call through the listener whose route retries on "unavailable" (its body goes through the replay buffer).</summary>
    internal Task<JsonElement> CallRetryingAsync(object command, TimeSpan? timeout = null) => Need(_retryingClient).RequestAsync(command, timeout);

    /// <summary>What the backend saw so far: cancelled calls, completed calls, calls per key.</summary>
    internal Task<JsonElement> BackendStatsAsync() => Server.RequestAsync(new { op = "stats" });

    public async Task DisposeAsync()
    {
        if (_retryingClient is not null) await _retryingClient.DisposeAsync();
        if (_client is not null) await _client.DisposeAsync();
        if (_proxy is not null) await _proxy.DisposeAsync();
        if (_server is not null) await _server.DisposeAsync();
    }

    private static NodeHelper Need(NodeHelper? node) => node ?? throw new InvalidOperationException("not started");
}
