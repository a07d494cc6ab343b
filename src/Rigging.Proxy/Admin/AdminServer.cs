using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Rigging.Proxy.Config;
using Rigging.Proxy.Telemetry;

namespace Rigging.Proxy.Admin;

/// <summary>
/// Envoy-style admin endpoints, bound to localhost only: /ready, /config_dump, /clusters, /stats (Prometheus
/// text), /quitquitquit.
/// </summary>
public sealed class AdminServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private AdminServer(WebApplication app, int port)
    {
        _app = app;
        Port = port;
    }

    public int Port { get; }

    public static async Task<AdminServer> StartAsync(int port, ProxyState state, ProxyStats stats, Action quit)
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.WebHost.UseKestrelCore();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Listen(IPAddress.Loopback, port);
        });
        var app = builder.Build();
        app.Run(context => HandleAsync(context, state, stats, quit));
        await app.StartAsync().ConfigureAwait(false);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new AdminServer(app, new Uri(address).Port);
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
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }
}
