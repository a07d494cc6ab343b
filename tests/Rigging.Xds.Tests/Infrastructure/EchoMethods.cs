using Rigging.Xds.Grpc;
using Rigging.Xds.Grpc.Server;
using Rigging.Xds.Tests.Echo;

namespace Rigging.Xds.Tests.Infrastructure;

/// <summary>The rigging.test.Echo service: its methods, and a C# implementation on our server.</summary>
internal static class EchoMethods
{
    public static readonly GrpcMethod<EchoRequest, EchoReply> Unary =
        new("rigging.test.Echo", "Unary", EchoRequest.Parser, EchoReply.Parser);

    public static readonly GrpcMethod<EchoRequest, EchoReply> Bidi =
        new("rigging.test.Echo", "Bidi", EchoRequest.Parser, EchoReply.Parser);

    /// <summary>Completed when a Bidi handler observed its cancellation token fire.</summary>
    public static GrpcServiceRegistry CreateRegistry(string name, TaskCompletionSource? cancelled = null, GrpcServerOptions? options = null)
    {
        var registry = new GrpcServiceRegistry(options);
        registry.AddUnary(Unary, async (request, context) =>
        {
            if (request.SleepMs > 0)
            {
                await Task.Delay(request.SleepMs, context.CancellationToken);
            }

            if (request.FailCode != 0)
            {
                throw new GrpcStatusException((GrpcStatusCode)request.FailCode, "failed on purpose");
            }

            return new EchoReply { Message = request.Message, Server = name, Metadata = context.RequestHeaders["x-echo"].ToString() };
        });
        registry.AddDuplex(Bidi, async (requests, responses, context) =>
        {
            try
            {
                while (await requests.ReadAsync(context.CancellationToken) is { } request)
                {
                    if (request.FailCode != 0)
                    {
                        throw new GrpcStatusException((GrpcStatusCode)request.FailCode, "failed on purpose");
                    }

                    await responses.WriteAsync(new EchoReply { Message = request.Message, Server = name });
                }
            }
            catch (OperationCanceledException) when (context.CancellationToken.IsCancellationRequested)
            {
                cancelled?.TrySetResult();
                throw;
            }
            catch (IOException) when (context.CancellationToken.IsCancellationRequested)
            {
                cancelled?.TrySetResult();
                throw;
            }
        });
        return registry;
    }
}
