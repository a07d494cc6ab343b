using System.Net;
using System.Text;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Rigging.Proxy.Http.Validation;

namespace Rigging.Proxy.Listeners;

/// <summary>
/// One bound listener: a Kestrel server on the listener's address. Each new connection is peeked at (TLS
/// ClientHello, HTTP/2 preface, CONNECT), picks its filter chain from the listener's current model; a TCP chain
/// takes the raw connection, a CONNECT becomes a tunnel, an HTTP chain goes to Kestrel's HTTP/1.1 or HTTP/2
/// parser and then to <see cref="Http.HttpProxyHandler"/>.
/// </summary>
public sealed partial class KestrelListener : IAsyncDisposable
{
    private const string ChainKey = "rigging.chain";
    private readonly KestrelServer _server;
    private readonly ProxyServices _services;
    private readonly ConnectionDelegate _http2;
    private readonly string _http2SocketPath;
    private volatile ListenerModel _model;

    private KestrelListener(KestrelServer server, ListenerModel model, IPEndPoint bound, ProxyServices services, ConnectionDelegate http2, string http2SocketPath)
    {
        _server = server;
        _model = model;
        _services = services;
        _http2 = http2;
        _http2SocketPath = http2SocketPath;
        Bound = bound;
    }

    public ListenerModel Model
    {
        get => _model;
        internal set
        {
            _model = value;
            DrainReplacedTcpConnections(value);
        }
    }

    /// <summary>The address actually bound (the port Kestrel chose when the listener asked for 0).</summary>
    public IPEndPoint Bound { get; }

    public static async Task<KestrelListener> StartAsync(ListenerModel model, ProxyServices services)
    {
        KestrelListener? self = null;
        ConnectionDelegate? http2 = null;
        // Kestrel speaks only HTTP/1.1 on a cleartext endpoint that allows both versions (without ALPN it cannot
        // tell), so h2c with prior knowledge needs an HTTP/2-only pipeline. Kestrel builds one per endpoint: a
        // private Unix socket endpoint is declared HTTP/2-only and its pipeline is borrowed for connections that
        // open with the HTTP/2 preface. Nothing is served on that socket itself.
        var socketPath = Path.Combine(Path.GetTempPath(), $"rigging-h2c-{Guid.NewGuid():N}.sock");
        var kestrel = StandaloneKestrel.Options();
        // Upstream TLS is made at connect time under an http:// request, so a peer proxy's HTTP/2 requests carry
        // :scheme http inside TLS; Kestrel would reset them (PROTOCOL_ERROR) unless alternate schemes are allowed.
        kestrel.AllowAlternateSchemes = true;
        kestrel.Limits.MaxRequestHeadersTotalSize = services.Limits.MaxRequestHeadersBytes;
        kestrel.Limits.MaxRequestHeaderCount = services.Limits.MaxRequestHeaderCount;
        kestrel.Limits.Http2.MaxStreamsPerConnection = services.Limits.MaxConcurrentStreams;
        kestrel.Limits.Http2.MaxRequestHeaderFieldSize = services.Limits.MaxRequestHeadersBytes;
        kestrel.Limits.KeepAliveTimeout = services.Limits.IdleTimeout;
        // A client dribbling its headers is cut after this (408 and close), not held forever.
        kestrel.Limits.RequestHeadersTimeout = services.Limits.RequestHeadersTimeout;
        // obs-text (bytes 0x80-0xFF) in header values is legal HTTP; Kestrel refuses it unless told to read Latin-1.
        kestrel.RequestHeaderEncodingSelector = static _ => Encoding.Latin1;
        kestrel.Limits.MaxRequestBodySize = null;
        // Streams (gRPC, WebSocket) may be idle for long; the idle timeout bounds them instead.
        kestrel.Limits.MinRequestBodyDataRate = null;
        kestrel.Limits.MinResponseDataRate = null;
        kestrel.Listen(model.Endpoint, listen =>
        {
            listen.Protocols = HttpProtocols.Http1AndHttp2;
            listen.Use(next => connection => self!.OnConnectionAsync(connection, next));
        });
        kestrel.ListenUnixSocket(socketPath, listen =>
        {
            listen.Protocols = HttpProtocols.Http2;
            listen.Use(next =>
            {
                http2 = next;
                return static connection =>
                {
                    connection.Abort();
                    return Task.CompletedTask;
                };
            });
        });
        // With inline socket completions the request runs on the socket thread that read it (InlineSocketIo).
        var (server, port) = await StandaloneKestrel.StartAsync(kestrel, context =>
        {
            if (self!.ChainFor(context)?.Filter is not HttpConnectionManagerModel hcm) return Reject(context);
            // Desync checks run before anything reads or forwards the request.
            if (HttpRequestValidator.Validate(context) is not null)
            {
                services.Stats.Increment(hcm.StatPrefix, "downstream_rq_rejected_invalid");
                return HttpRequestValidator.RejectAsync(context);
            }
            // Envoy edits x-forwarded-client-cert in the connection manager, before any HTTP filter sees the request.
            Security.ForwardedClientCert.Apply(context, hcm);
            return services.Http.HandleAsync(context, hcm);
        }, InlineSocketIo.Enabled).ConfigureAwait(false);
        self = new KestrelListener(server, model, new IPEndPoint(model.Endpoint.Address, port), services,
            http2 ?? throw new InvalidOperationException("Kestrel built no HTTP/2 pipeline"), socketPath);
        return self;
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
            await _server.StopAsync(stop.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // What did not finish within the drain time is cut.
        }
    }

    public async ValueTask DisposeAsync()
    {
        await DrainAsync(TimeSpan.FromSeconds(1)).ConfigureAwait(false);
        _server.Dispose();
        try
        {
            File.Delete(_http2SocketPath);
        }
        catch (IOException)
        {
            // Kestrel may have removed it already.
        }
    }
}
