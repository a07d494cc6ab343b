using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Logging;

namespace Rigging.Proxy.Tests.Infrastructure;

/// <summary>
/// A real HTTP server on a loopback port (HTTP/1.1 and h2c). By default it answers "NAME path" and echoes
/// request headers as "x-echo-NAME" response headers; a test may give its own handler.
/// </summary>
internal sealed class TestBackend : IAsyncDisposable
{
    private readonly WebApplication _app;
    private int _requests;

    private TestBackend(WebApplication app, string name, int port)
    {
        _app = app;
        Name = name;
        Port = port;
    }

    public string Name { get; }

    public int Port { get; }

    public int Requests => Volatile.Read(ref _requests);

    public static async Task<TestBackend> StartAsync(string name, RequestDelegate? handler = null, HttpProtocols protocols = HttpProtocols.Http1)
    {
        var port = FreePort.Get();
        TestBackend? self = null;
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrelCore();
        builder.WebHost.ConfigureKestrel(k =>
        {
            // Like a real upstream, accept obs-text (0x80-0xFF) in header values, which HTTP allows.
            k.RequestHeaderEncodingSelector = _ => System.Text.Encoding.Latin1;
            k.Listen(IPAddress.Loopback, port, l => l.Protocols = protocols);
        });
        var app = builder.Build();
        app.Run(async context =>
        {
            Interlocked.Increment(ref self!._requests);
            if (handler is not null)
            {
                await handler(context);
                return;
            }
            foreach (var (key, value) in context.Request.Headers) context.Response.Headers["x-echo-" + key] = value;
            await context.Response.WriteAsync($"{name} {context.Request.Path}{context.Request.QueryString}");
        });
        await app.StartAsync();
        self = new TestBackend(app, name, port);
        return self;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
