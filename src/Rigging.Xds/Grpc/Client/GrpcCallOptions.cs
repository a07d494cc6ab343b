namespace Rigging.Xds.Grpc.Client;

/// <summary>Per-call settings: metadata, deadline and cancellation.</summary>
public sealed record GrpcCallOptions
{
    public static GrpcCallOptions Default { get; } = new();

    /// <summary>Custom metadata sent as request headers (lower-case ASCII names).</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Metadata { get; init; } = [];

    /// <summary>Sent as <c>grpc-timeout</c> and enforced locally (DEADLINE_EXCEEDED).</summary>
    public TimeSpan? Timeout { get; init; }

    public CancellationToken CancellationToken { get; init; }
}
