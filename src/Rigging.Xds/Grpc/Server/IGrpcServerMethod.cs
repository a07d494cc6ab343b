namespace Rigging.Xds.Grpc.Server;

/// <summary>One registered method, invoked once the call is validated and its context built.</summary>
internal interface IGrpcServerMethod
{
    Task InvokeAsync(GrpcServerCallContext context, GrpcServerOptions options);
}
