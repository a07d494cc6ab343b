namespace Rigging.Xds.Grpc;

/// <summary>Constants of the gRPC over HTTP/2 protocol (doc/PROTOCOL-HTTP2.md in grpc/grpc).</summary>
internal static class GrpcProtocol
{
    public const string ContentType = "application/grpc";
    public const string StatusHeader = "grpc-status";
    public const string MessageHeader = "grpc-message";
    public const string TimeoutHeader = "grpc-timeout";
    public const string EncodingHeader = "grpc-encoding";
    public const string AcceptEncodingHeader = "grpc-accept-encoding";

    /// <summary>"Length-Prefixed-Message → Compressed-Flag Message-Length Message": 1 + 4 bytes.</summary>
    public const int FrameHeaderSize = 5;

    /// <summary>The usual gRPC default for a received message.</summary>
    public const int DefaultMaxMessageSize = 4 * 1024 * 1024;

    public static bool IsGrpcContentType(string? contentType) =>
        contentType is not null
        && contentType.StartsWith(ContentType, StringComparison.OrdinalIgnoreCase)
        && (contentType.Length == ContentType.Length || contentType[ContentType.Length] is '+' or ';');
}
