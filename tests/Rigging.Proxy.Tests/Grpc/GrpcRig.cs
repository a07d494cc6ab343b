using System.Text.Json;
using Rigging.Proxy.Tests.Infrastructure;

namespace Rigging.Proxy.Tests.Grpc;

/// <summary>
/// A grpc-js backend behind a real proxy (HTTP listener → h2c cluster), and a grpc-js client calling the
/// proxy's listener over h2c. Everything is stopped on dispose.
/// </summary>
internal sealed class GrpcRig : IAsyncDisposable
{
    private GrpcRig(NodeHelper server, ProxyFixture proxy, NodeHelper client)
    {
        Server = server;
        Proxy = proxy;
        Client = client;
    }

    public NodeHelper Server { get; }

    public ProxyFixture Proxy { get; }

    public NodeHelper Client { get; }

    public static async Task<GrpcRig> StartAsync(string? retryOn = null)
    {
        var server = NodeHelper.Start("grpc-server.js");
        ProxyFixture? proxy = null;
        NodeHelper? client = null;
        try
        {
            var backendPort = (await server.ReadJsonAsync(TimeSpan.FromSeconds(10))).GetProperty("port").GetInt32();
            proxy = await ProxyFixture.StartAsync();
            var listenPort = FreePort.Get();
            await proxy.ApplyAsync(
                EnvoyConfig.HttpListener("ingress", listenPort, "r"),
                EnvoyConfig.GrpcRoutes("r", "grpc", retryOn),
                EnvoyConfig.GrpcCluster("grpc"),
                EnvoyConfig.Endpoints("grpc", backendPort));
            client = NodeHelper.Start("grpc-client.js", $"127.0.0.1:{listenPort}");
            await client.ReadJsonAsync(TimeSpan.FromSeconds(10));
            return new GrpcRig(server, proxy, client);
        }
        catch
        {
            if (client is not null) await client.DisposeAsync();
            if (proxy is not null) await proxy.DisposeAsync();
            await server.DisposeAsync();
            throw;
        }
    }

    public Task<JsonElement> CallAsync(object command, TimeSpan? timeout = null) => Client.RequestAsync(command, timeout);

    /// <summary>What the backend saw: cancelled calls, completed calls, calls per key.</summary>
    public Task<JsonElement> BackendStatsAsync() => Server.RequestAsync(new { op = "stats" });

    public async ValueTask DisposeAsync()
    {
        await Client.DisposeAsync();
        await Proxy.DisposeAsync();
        await Server.DisposeAsync();
    }
}
