using Google.Protobuf;

namespace Rigging.Xds.Grpc.Server;

/// <summary>A unary method: one request in, one response out.</summary>
public delegate Task<TResponse> GrpcUnaryHandler<in TRequest, TResponse>(TRequest request, GrpcServerCallContext context)
    where TRequest : class, IMessage<TRequest>
    where TResponse : class, IMessage<TResponse>;
