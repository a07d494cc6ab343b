namespace Rigging.Xds.Grpc;

/// <summary>Ends a call with a non-OK status (thrown by handlers, surfaced by the client).</summary>
public sealed class GrpcStatusException : Exception
{
    public GrpcStatusException(GrpcStatusCode code, string message)
        : base($"{code}: {message}")
    {
        Status = new GrpcStatus(code, message);
    }

    public GrpcStatusException(GrpcStatus status)
        : this(status.Code, status.Message)
    {
    }

    public GrpcStatusException()
        : this(GrpcStatusCode.Unknown, string.Empty)
    {
    }

    public GrpcStatusException(string message)
        : this(GrpcStatusCode.Unknown, message)
    {
    }

    public GrpcStatusException(string message, Exception innerException)
        : base(message, innerException)
    {
        Status = new GrpcStatus(GrpcStatusCode.Unknown, message);
    }

    public GrpcStatus Status { get; }

    public GrpcStatusCode StatusCode => Status.Code;
}
