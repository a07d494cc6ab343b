using Google.Protobuf;

namespace Rigging.Xds.Grpc.Server;

/// <summary>A unary method: one request in, one response out.</summary>
public delegate Task<TResponse> GrpcUnaryHandler<in TRequest, TResponse>(TRequest request, GrpcServerCallContext context)
    where TRequest : class, IMessage<TRequest>
    where TResponse : class, IMessage<TResponse>;

/// <summary>A bidirectional streaming method. The writer must be used by one task at a time.</summary>
public delegate Task GrpcDuplexHandler<TRequest, TResponse>(
    GrpcStreamReader<TRequest> requests, GrpcStreamWriter<TResponse> responses, GrpcServerCallContext context)
    where TRequest : class, IMessage<TRequest>
    where TResponse : class, IMessage<TResponse>;
