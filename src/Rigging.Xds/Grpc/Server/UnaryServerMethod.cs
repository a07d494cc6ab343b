using Google.Protobuf;

namespace Rigging.Xds.Grpc.Server;

internal sealed class UnaryServerMethod<TRequest, TResponse>(GrpcMethod<TRequest, TResponse> method, GrpcUnaryHandler<TRequest, TResponse> handler)
    : IGrpcServerMethod
    where TRequest : class, IMessage<TRequest>
    where TResponse : class, IMessage<TResponse>
{
    public async Task InvokeAsync(GrpcServerCallContext context, GrpcServerOptions options)
    {
        var reader = new GrpcStreamReader<TRequest>(context.HttpContext.Request.BodyReader, method.RequestParser, options.MaxReceiveMessageSize);
        TRequest request = await reader.ReadAsync(context.CancellationToken).ConfigureAwait(false)
            ?? throw new GrpcStatusException(GrpcStatusCode.Internal, "No request message was received for a unary call.");
        if (await reader.ReadAsync(context.CancellationToken).ConfigureAwait(false) is not null)
        {
            throw new GrpcStatusException(GrpcStatusCode.Internal, "More than one request message was received for a unary call.");
        }

        TResponse response = await handler(request, context).ConfigureAwait(false);
        using var writer = new GrpcStreamWriter<TResponse>(
            context.HttpContext.Response.BodyWriter, options.WriteTimeout, options.TimeProvider, context.CancellationToken);
        await writer.WriteAsync(response).ConfigureAwait(false);
    }
}
