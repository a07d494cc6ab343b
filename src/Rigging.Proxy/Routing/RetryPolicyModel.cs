using System.Collections.Frozen;

namespace Rigging.Proxy.Routing;

/// <summary>A compiled Envoy RetryPolicy.</summary>
public sealed record RetryPolicyModel
{
    public RetryOn On { get; init; }

    public int NumRetries { get; init; } = 1;

    /// <summary>Zero: each try may use the whole route timeout.</summary>
    public TimeSpan PerTryTimeout { get; init; }

    public FrozenSet<int> RetriableStatusCodes { get; init; } = FrozenSet<int>.Empty;

    public TimeSpan BackoffBase { get; init; } = TimeSpan.FromMilliseconds(25);

    public TimeSpan BackoffMax { get; init; } = TimeSpan.FromMilliseconds(250);

    /// <summary>envoy.retry_host_predicates.previous_hosts: a retry goes to another endpoint when there is one.</summary>
    public bool AvoidPreviousHosts { get; init; }
}

/// <summary>Envoy's retry_on conditions.</summary>
[Flags]
public enum RetryOn
{
    None = 0,
    FiveXx = 1,
    GatewayError = 2,
    Reset = 4,
    ConnectFailure = 8,
    Retriable4xx = 16,
    RefusedStream = 32,
    RetriableStatusCodes = 64,
    GrpcCancelled = 128,
    GrpcDeadlineExceeded = 256,
    GrpcInternal = 512,
    GrpcResourceExhausted = 1024,
    GrpcUnavailable = 2048,
    ResetBeforeRequest = 4096,
}
