using Google.Protobuf;

namespace Rigging.Xds.Grpc.Server;

internal sealed class DuplexServerMethod<TRequest, TResponse>(GrpcMethod<TRequest, TResponse> method, GrpcDuplexHandler<TRequest, TResponse> handler)
    : IGrpcServerMethod
    where TRequest : class, IMessage<TRequest>
    where TResponse : class, IMessage<TResponse>
{
    public async Task InvokeAsync(GrpcServerCallContext context, GrpcServerOptions options)
    {
        var reader = new GrpcStreamReader<TRequest>(context.HttpContext.Request.BodyReader, method.RequestParser, options.MaxReceiveMessageSize);
        using var writer = new GrpcStreamWriter<TResponse>(
            context.HttpContext.Response.BodyWriter, options.WriteTimeout, options.TimeProvider, context.CancellationToken);
        try
        {
            await handler(reader, writer, context).ConfigureAwait(false);
        }
        catch (Exception) when (writer.TimedOut)
        {
            // A peer that stopped reading cannot read a status either: reset the stream.
            context.HttpContext.Abort();
            throw;
        }
    }
}
