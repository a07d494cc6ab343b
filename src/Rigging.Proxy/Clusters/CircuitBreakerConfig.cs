namespace Rigging.Proxy.Clusters;

/// <summary>
/// A cluster's circuit breaker thresholds (default priority). Unset means effectively unlimited (2^32-1), as Istio
/// configures Envoy unless a DestinationRule sets connection pool limits.
/// </summary>
public sealed record CircuitBreakerConfig
{
    public const long Unlimited = uint.MaxValue;

    public static CircuitBreakerConfig Default { get; } = new();

    public long MaxConnections { get; init; } = Unlimited;

    /// <summary>HTTP/1.1 requests allowed to wait for a connection when all max_connections are busy.</summary>
    public long MaxPendingRequests { get; init; } = Unlimited;

    public long MaxRequests { get; init; } = Unlimited;

    /// <summary>Retries in flight at once across the cluster.</summary>
    public long MaxRetries { get; init; } = Unlimited;
}
