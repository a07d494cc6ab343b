namespace Rigging.Xds.Grpc;

/// <summary>The outcome of a call: the code and message carried in <c>grpc-status</c> / <c>grpc-message</c>.</summary>
public readonly record struct GrpcStatus(GrpcStatusCode Code, string Message)
{
    public static GrpcStatus Ok { get; } = new(GrpcStatusCode.Ok, string.Empty);

    public override string ToString() => Message.Length == 0 ? Code.ToString() : $"{Code}: {Message}";
}
