using System.Collections.Immutable;

namespace Rigging.Proxy.Clusters;

/// <summary>
/// One cluster as configured by CDS (and EDS for its endpoints): an immutable value compiled once per update.
/// Runtime state (connections, counters, ejections) lives in <see cref="ClusterState"/>.
/// </summary>
public sealed record ClusterModel
{
    public required string Name { get; init; }

    public LoadBalancerPolicy Policy { get; init; } = LoadBalancerPolicy.RoundRobin;

    /// <summary>Istio's default connect timeout is 10 s.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Speak HTTP/2 to the upstream (http2_protocol_options), else HTTP/1.1.</summary>
    public bool Http2 { get; init; }

    /// <summary>The EDS service name to subscribe to, for EDS clusters; null for static ones.</summary>
    public string? EdsServiceName { get; init; }

    public ImmutableArray<EndpointConfig> Endpoints { get; init; } = [];

    /// <summary>Idle upstream connections are closed after this (Istio's default: 1 h).</summary>
    public TimeSpan IdleTimeout { get; init; } = TimeSpan.FromHours(1);
}
