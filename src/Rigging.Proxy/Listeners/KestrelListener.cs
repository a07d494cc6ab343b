using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Rigging.Proxy.Listeners;

/// <summary>
/// One bound listener: a Kestrel server on the listener's address. Each new connection picks its filter chain
/// from the listener's current model; a TCP chain takes the raw connection, an HTTP chain hands it to Kestrel's
/// HTTP/1.1 and HTTP/2 parsers and then to <see cref="Http.HttpProxyHandler"/>.
/// </summary>
public sealed class KestrelListener : IAsyncDisposable
{
    private const string ChainKey = "rigging.chain";
    private readonly WebApplication _app;
    private volatile ListenerModel _model;

    private KestrelListener(WebApplication app, ListenerModel model, IPEndPoint bound)
    {
        _app = app;
        _model = model;
        Bound = bound;
    }

    public ListenerModel Model
    {
        get => _model;
        internal set => _model = value;
    }

    /// <summary>The address actually bound (the port Kestrel chose when the listener asked for 0).</summary>
    public IPEndPoint Bound { get; }

    public static async Task<KestrelListener> StartAsync(ListenerModel model, ProxyServices services)
    {
        KestrelListener? self = null;
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.WebHost.UseKestrelCore();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestHeadersTotalSize = services.Limits.MaxRequestHeadersBytes;
            kestrel.Limits.MaxRequestHeaderCount = services.Limits.MaxRequestHeaderCount;
            kestrel.Limits.Http2.MaxStreamsPerConnection = services.Limits.MaxConcurrentStreams;
            kestrel.Limits.KeepAliveTimeout = services.Limits.IdleTimeout;
            kestrel.Limits.MaxRequestBodySize = null;
            // Streams (gRPC, WebSocket) may be idle for long; the idle timeout bounds them instead.
            kestrel.Limits.MinRequestBodyDataRate = null;
            kestrel.Limits.MinResponseDataRate = null;
            kestrel.Listen(model.Endpoint, listen =>
            {
                listen.Protocols = HttpProtocols.Http1AndHttp2;
                listen.Use(next => connection => self!.OnConnectionAsync(connection, next, services));
            });
        });
        var app = builder.Build();
        app.Run(context =>
        {
            var chain = context.Features.Get<IConnectionItemsFeature>()?.Items[ChainKey] as FilterChainModel;
            return chain?.Filter is HttpConnectionManagerModel hcm
                ? services.Http.HandleAsync(context, hcm)
                : Reject(context);
        });
        await app.StartAsync().ConfigureAwait(false);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var port = new Uri(address).Port;
        self = new KestrelListener(app, model, new IPEndPoint(model.Endpoint.Address, port));
        return self;
    }

    private Task OnConnectionAsync(ConnectionContext connection, ConnectionDelegate next, ProxyServices services)
    {
        var local = connection.LocalEndPoint as IPEndPoint;
        var facts = new ConnectionFacts(local?.Port ?? Bound.Port, "raw_buffer", null, []);
        var chain = _model.SelectChain(facts);
        switch (chain?.Filter)
        {
            case TcpProxyModel tcp:
                return services.Tcp.HandleAsync(connection, tcp);
            case HttpConnectionManagerModel:
                connection.Items[ChainKey] = chain;
                return next(connection);
            default:
                services.Stats.Increment(_model.Name, "no_filter_chain_match");
                connection.Abort();
                return Task.CompletedTask;
        }
    }

    private static Task Reject(HttpContext context)
    {
        context.Response.StatusCode = StatusCodes.Status404NotFound;
        return Task.CompletedTask;
    }

    /// <summary>Stops accepting, lets requests in flight finish within the drain time, then closes the rest.</summary>
    public async Task DrainAsync(TimeSpan drainTime)
    {
        using var stop = new CancellationTokenSource(drainTime);
        try
        {
            await _app.StopAsync(stop.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // What did not finish within the drain time is cut.
        }
    }

    public async ValueTask DisposeAsync()
    {
        await DrainAsync(TimeSpan.FromSeconds(1)).ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }
}
