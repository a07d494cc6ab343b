using Google.Protobuf;
using Microsoft.AspNetCore.Http;

namespace Rigging.Xds.Grpc.Server;

/// <summary>
/// The methods a server offers, by path. Register before serving; lookups afterwards are lock-free reads.
/// <see cref="HandleAsync"/> is a terminal <see cref="RequestDelegate"/>: unknown paths get UNIMPLEMENTED.
/// </summary>
public sealed class GrpcServiceRegistry
{
    private readonly Dictionary<string, IGrpcServerMethod> _methods = new(StringComparer.Ordinal);

    public GrpcServiceRegistry(GrpcServerOptions? options = null)
    {
        Options = options ?? new GrpcServerOptions();
    }

    public GrpcServerOptions Options { get; }

    public IReadOnlyCollection<string> Paths => _methods.Keys;

    public GrpcServiceRegistry AddUnary<TRequest, TResponse>(GrpcMethod<TRequest, TResponse> method, GrpcUnaryHandler<TRequest, TResponse> handler)
        where TRequest : class, IMessage<TRequest>
        where TResponse : class, IMessage<TResponse>
    {
        _methods[method.Path] = new UnaryServerMethod<TRequest, TResponse>(method, handler);
        return this;
    }

    public GrpcServiceRegistry AddDuplex<TRequest, TResponse>(GrpcMethod<TRequest, TResponse> method, GrpcDuplexHandler<TRequest, TResponse> handler)
        where TRequest : class, IMessage<TRequest>
        where TResponse : class, IMessage<TResponse>
    {
        _methods[method.Path] = new DuplexServerMethod<TRequest, TResponse>(method, handler);
        return this;
    }

    public bool Handles(PathString path) => path.HasValue && _methods.ContainsKey(path.Value!);

    /// <summary>Serves one HTTP/2 request as a gRPC call.</summary>
    public Task HandleAsync(HttpContext context)
    {
        string path = context.Request.Path.Value ?? string.Empty;
        if (_methods.TryGetValue(path, out var method))
        {
            return GrpcServerCall.RunAsync(context, Options, path, method.InvokeAsync);
        }

        return GrpcServerCall.RunAsync(
            context,
            Options,
            path,
            (_, _) => throw new GrpcStatusException(GrpcStatusCode.Unimplemented, $"Method not found: {path}"));
    }
}
