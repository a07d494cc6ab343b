using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Rigging.Proxy.Config;
using Rigging.Proxy.Listeners;
using Rigging.Proxy.Telemetry;

namespace Rigging.Proxy.Admin;

/// <summary>
/// Envoy-style admin endpoints, bound to localhost only: /ready, /config_dump, /clusters, /stats (Prometheus
/// text), /quitquitquit.
/// </summary>
public sealed class AdminServer : IAsyncDisposable
{
    private readonly KestrelServer _server;

    private AdminServer(KestrelServer server, int port)
    {
        _server = server;
        Port = port;
    }

    public int Port { get; }

    public static async Task<AdminServer> StartAsync(int port, ProxyState state, ProxyStats stats, Action quit)
    {
        var options = StandaloneKestrel.Options();
        options.Listen(IPAddress.Loopback, port);
        var (server, bound) = await StandaloneKestrel.StartAsync(options, context => HandleAsync(context, state, stats, quit)).ConfigureAwait(false);
        return new AdminServer(server, bound);
    }

    private static Task HandleAsync(HttpContext context, ProxyState state, ProxyStats stats, Action quit)
    {
        var response = context.Response;
        switch (context.Request.Path.Value)
        {
            case "/ready" or "/healthz/ready":
                var (code, text) = state.Draining ? (503, "DRAINING\n") : state.AwaitingCertificate ? (503, "AWAITING_CERTIFICATE\n") : state.Ready ? (200, "LIVE\n") : (503, "PRE_INITIALIZING\n");
                response.StatusCode = code;
                return response.WriteAsync(text);
            case "/config_dump":
                response.ContentType = "application/json";
                return response.WriteAsync(ConfigDump.Render(state.Current));
            case "/clusters":
                response.ContentType = "text/plain";
                return response.WriteAsync(ClustersReport.Render(state.Current));
            case "/stats" or "/stats/prometheus":
                // Prometheus text is the only format served (Envoy's /stats?format=prometheus).
                response.ContentType = "text/plain; version=0.0.4";
                return response.WriteAsync(PrometheusFormat.Render(stats, state.Current));
            case "/quitquitquit" when HttpMethods.IsPost(context.Request.Method):
                quit();
                return response.WriteAsync("OK\n");
            default:
                response.StatusCode = 404;
                return response.WriteAsync("admin endpoints: /ready /config_dump /clusters /stats /quitquitquit (POST)\n");
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _server.StopAsync(CancellationToken.None).ConfigureAwait(false);
        _server.Dispose();
    }
}
