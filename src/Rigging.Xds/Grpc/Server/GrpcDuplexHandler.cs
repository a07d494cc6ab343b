using Google.Protobuf;

namespace Rigging.Xds.Grpc.Server;

/// <summary>A bidirectional streaming method. The writer must be used by one task at a time.</summary>
public delegate Task GrpcDuplexHandler<TRequest, TResponse>(
    GrpcStreamReader<TRequest> requests, GrpcStreamWriter<TResponse> responses, GrpcServerCallContext context)
    where TRequest : class, IMessage<TRequest>
    where TResponse : class, IMessage<TResponse>;
