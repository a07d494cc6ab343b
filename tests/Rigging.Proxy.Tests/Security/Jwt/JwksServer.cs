using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Rigging.Proxy.Tests.Infrastructure;

namespace Rigging.Proxy.Tests.Security.Jwt;

/// <summary>A real JWKS server on loopback: serves the current document, counts GETs, and can be made slow.</summary>
internal sealed class JwksServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly CancellationTokenSource _stop = new();
    private static int _servers;
    private readonly int _id = Interlocked.Increment(ref _servers);
    private volatile string _jwks;
    private int _fetches;

    private JwksServer(WebApplication app, int port, string jwks)
    {
        _app = app;
        Port = port;
        _jwks = jwks;
    }

    public int Port { get; }

    /// <summary>The document's URL; its path is unique per server because the proxy caches keys by URL for its whole life.</summary>
    public string Uri => $"http://127.0.0.1:{Port}/{_id}/.well-known/jwks.json";

    public int Fetches => Volatile.Read(ref _fetches);

    /// <summary>When set, every answer waits this long first (bounded: the server's stop cancels it).</summary>
    public TimeSpan Delay { get; set; }

    public string Jwks
    {
        get => _jwks;
        set => _jwks = value;
    }

    public static async Task<JwksServer> StartAsync(string jwks)
    {
        var port = FreePort.Get();
        JwksServer? self = null;
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrelCore();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, port));
        var app = builder.Build();
        app.Run(async context =>
        {
            Interlocked.Increment(ref self!._fetches);
            if (self.Delay > TimeSpan.Zero)
            {
                using var both = CancellationTokenSource.CreateLinkedTokenSource(self._stop.Token, context.RequestAborted);
                try
                {
                    await Task.Delay(self.Delay, both.Token);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(self._jwks);
        });
        await app.StartAsync();
        self = new JwksServer(app, port, jwks);
        return self;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _app.StopAsync();
        await _app.DisposeAsync();
        _stop.Dispose();
    }
}
