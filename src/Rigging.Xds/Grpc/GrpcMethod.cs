using Google.Protobuf;

namespace Rigging.Xds.Grpc;

/// <summary>A method's path (<c>/package.Service/Method</c>) and the parsers of its two message types.</summary>
public sealed class GrpcMethod<TRequest, TResponse>
    where TRequest : class, IMessage<TRequest>
    where TResponse : class, IMessage<TResponse>
{
    public GrpcMethod(string serviceName, string methodName, MessageParser<TRequest> requestParser, MessageParser<TResponse> responseParser)
    {
        ServiceName = serviceName;
        MethodName = methodName;
        Path = "/" + serviceName + "/" + methodName;
        RequestParser = requestParser;
        ResponseParser = responseParser;
    }

    public string ServiceName { get; }

    public string MethodName { get; }

    /// <summary>The HTTP/2 <c>:path</c>, e.g. <c>/envoy.service.discovery.v3.AggregatedDiscoveryService/StreamAggregatedResources</c>.</summary>
    public string Path { get; }

    public MessageParser<TRequest> RequestParser { get; }

    public MessageParser<TResponse> ResponseParser { get; }

    public override string ToString() => Path;
}
