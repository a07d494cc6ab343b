using Rigging.Proxy.Clusters.Health;
using Rigging.Proxy.Clusters.OriginalDestination;
using Rigging.Proxy.Clusters.Outlier;

namespace Rigging.Proxy.Clusters;

/// <summary>
/// One cluster as configured by CDS (and EDS for its endpoints): an immutable value compiled once per update,
/// compared by value so an unchanged cluster keeps what was built for it (balancer tables, checkers).
/// Runtime state (connections, counters, ejections) lives in <see cref="ClusterState"/>.
/// </summary>
public sealed record ClusterModel
{
    public required string Name { get; init; }

    public LoadBalancerPolicy Policy { get; init; } = LoadBalancerPolicy.RoundRobin;

    public LoadBalancerOptions Balancing { get; init; } = LoadBalancerOptions.Default;

    /// <summary>Istio's default connect timeout is 10 s.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Speak HTTP/2 to the upstream (http2_protocol_options), else HTTP/1.1.</summary>
    public bool Http2 { get; init; }

    /// <summary>
    /// use_downstream_protocol_config: each request goes upstream in the version it arrived in (HTTP/2 for h2 and
    /// gRPC clients, else HTTP/1.1); Istio sets it for sniffed ports. Ignored when <see cref="Http2"/> is set.
    /// </summary>
    public bool UseDownstreamProtocol { get; init; }

    /// <summary>Whether a request that arrived in <paramref name="downstreamHttp2"/> goes upstream over HTTP/2.</summary>
    public bool UpstreamHttp2(bool downstreamHttp2) => Http2 || (UseDownstreamProtocol && downstreamHttp2);

    /// <summary>The EDS service name to subscribe to, for EDS clusters; null for static ones.</summary>
    public string? EdsServiceName { get; init; }

    public EquatableArray<EndpointConfig> Endpoints { get; init; } = new([]);

    /// <summary>Idle upstream connections are closed after this (Istio's default: 1 h).</summary>
    public TimeSpan IdleTimeout { get; init; } = TimeSpan.FromHours(1);

    /// <summary>common_http_protocol_options.max_connection_duration: a connection is not reused after this (null: no limit).</summary>
    public TimeSpan? MaxConnectionDuration { get; init; }

    public CircuitBreakerConfig CircuitBreakers { get; init; } = CircuitBreakerConfig.Default;

    /// <summary>Null when the cluster has no outlier_detection.</summary>
    public OutlierDetectionConfig? OutlierDetection { get; init; }

    /// <summary>The SDS secrets its transport sockets refer to (certificate and trust bundle names).</summary>
    public EquatableArray<string> SdsSecretNames { get; init; } = new([]);

    /// <summary>Null when the cluster has no (HTTP) health check.</summary>
    public HealthCheckConfig? HealthCheck { get; init; }

    /// <summary>Set for an ORIGINAL_DST cluster: no configured endpoints, each request names its destination.</summary>
    public OriginalDestinationConfig? OriginalDestination { get; init; }
}
