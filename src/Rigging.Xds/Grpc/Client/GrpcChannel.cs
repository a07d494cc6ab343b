using System.Net;
using System.Net.Http.Headers;
using Google.Protobuf;

namespace Rigging.Xds.Grpc.Client;

/// <summary>
/// A gRPC client over one <see cref="SocketsHttpHandler"/>: HTTP/2 only (h2c with prior knowledge for http://,
/// ALPN h2 for https://), keepalive pings, no proxy, no redirects, no decompression.
/// </summary>
public sealed class GrpcChannel : IDisposable
{
    private readonly HttpMessageInvoker _invoker;

    public GrpcChannel(Uri address, GrpcChannelOptions? options = null)
    {
        Address = address;
        Options = options ?? new GrpcChannelOptions();
        var handler = new SocketsHttpHandler
        {
            UseProxy = false,
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
            UseCookies = false,
            EnableMultipleHttp2Connections = true,
            ConnectTimeout = Options.ConnectTimeout,
            KeepAlivePingDelay = Options.KeepAlivePingDelay,
            KeepAlivePingTimeout = Options.KeepAlivePingTimeout,
            KeepAlivePingPolicy = HttpKeepAlivePingPolicy.Always,
            PooledConnectionIdleTimeout = Timeout.InfiniteTimeSpan,
        };
        if (Options.ServerCertificateValidation is not null)
        {
            handler.SslOptions.RemoteCertificateValidationCallback = Options.ServerCertificateValidation;
        }
        if (Options.ClientCertificate is not null)
        {
            handler.SslOptions.ClientCertificateContext = Options.ClientCertificate;
        }

        _invoker = new HttpMessageInvoker(handler, disposeHandler: true);
    }

    public Uri Address { get; }

    public GrpcChannelOptions Options { get; }

    /// <summary>Starts a bidirectional streaming call. Dispose it to cancel (RST_STREAM).</summary>
    public GrpcDuplexCall<TRequest, TResponse> StartDuplex<TRequest, TResponse>(
        GrpcMethod<TRequest, TResponse> method, GrpcCallOptions? options = null)
        where TRequest : class, IMessage<TRequest>
        where TResponse : class, IMessage<TResponse>
    {
        options ??= GrpcCallOptions.Default;
        var content = new GrpcPushContent();
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(Address, method.Path))
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = content,
        };
        request.Headers.TE.Add(new TransferCodingWithQualityHeaderValue("trailers"));
        request.Headers.TryAddWithoutValidation("user-agent", "grpc-rigging/1.0");
        request.Headers.TryAddWithoutValidation(GrpcProtocol.AcceptEncodingHeader, "identity");
        if (options.Timeout is { } timeout)
        {
            request.Headers.TryAddWithoutValidation(GrpcProtocol.TimeoutHeader, GrpcTimeout.Format(timeout));
        }

        foreach (var (name, value) in options.Metadata)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        return new GrpcDuplexCall<TRequest, TResponse>(_invoker, request, content, method, Options, options);
    }

    /// <summary>A unary call: one request, one response, or a <see cref="GrpcStatusException"/>.</summary>
    public async Task<TResponse> UnaryAsync<TRequest, TResponse>(
        GrpcMethod<TRequest, TResponse> method, TRequest request, GrpcCallOptions? options = null)
        where TRequest : class, IMessage<TRequest>
        where TResponse : class, IMessage<TResponse>
    {
        await using var call = StartDuplex(method, options);
        await call.WriteAsync(request).ConfigureAwait(false);
        await call.CompleteRequestAsync().ConfigureAwait(false);
        TResponse response = await call.ReadAsync().ConfigureAwait(false)
            ?? throw new GrpcStatusException(GrpcStatusCode.Internal, "The server sent no response message for a unary call.");
        if (await call.ReadAsync().ConfigureAwait(false) is not null)
        {
            throw new GrpcStatusException(GrpcStatusCode.Internal, "The server sent more than one response for a unary call.");
        }

        return response;
    }

    public void Dispose() => _invoker.Dispose();
}
