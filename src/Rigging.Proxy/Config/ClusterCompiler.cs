using System.Collections.Immutable;
using Envoy.Config.Cluster.V3;
using Envoy.Config.Endpoint.V3;
using Rigging.Proxy.Clusters;
using CoreHealth = Envoy.Config.Core.V3.HealthStatus;

namespace Rigging.Proxy.Config;

/// <summary>
/// Cluster (CDS) plus its ClusterLoadAssignment (EDS) → <see cref="ClusterModel"/>: endpoints, balancing,
/// circuit breakers, outlier detection, health checks and the upstream protocol (ClusterCompiler.Policies.cs).
/// </summary>
internal static partial class ClusterCompiler
{
    public static ClusterModel Compile(Cluster cluster, IReadOnlyDictionary<string, ClusterLoadAssignment> assignments)
    {
        var where = $"Cluster {cluster.Name}";
        var policy = cluster.LbPolicy switch
        {
            Cluster.Types.LbPolicy.RoundRobin => LoadBalancerPolicy.RoundRobin,
            Cluster.Types.LbPolicy.LeastRequest => LoadBalancerPolicy.LeastRequest,
            Cluster.Types.LbPolicy.Random => LoadBalancerPolicy.Random,
            Cluster.Types.LbPolicy.RingHash => LoadBalancerPolicy.RingHash,
            Cluster.Types.LbPolicy.Maglev => LoadBalancerPolicy.Maglev,
            Cluster.Types.LbPolicy.ClusterProvided when cluster.Type == Cluster.Types.DiscoveryType.OriginalDst => LoadBalancerPolicy.ClusterProvided,
            var other => throw new ConfigException($"{where}: lb_policy {other} is not supported"),
        };

        ClusterLoadAssignment? assignment;
        string? edsName = null;
        switch (cluster.Type)
        {
            case Cluster.Types.DiscoveryType.Eds:
                edsName = string.IsNullOrEmpty(cluster.EdsClusterConfig?.ServiceName) ? cluster.Name : cluster.EdsClusterConfig.ServiceName;
                // Until EDS answers, an EDS cluster has no endpoints (requests get 503 UH), as in Envoy.
                assignment = assignments.GetValueOrDefault(edsName);
                break;
            case Cluster.Types.DiscoveryType.Static or Cluster.Types.DiscoveryType.StrictDns or Cluster.Types.DiscoveryType.LogicalDns:
                assignment = cluster.LoadAssignment;
                break;
            case Cluster.Types.DiscoveryType.OriginalDst:
                assignment = null;
                break;
            default:
                throw new ConfigException($"{where}: type {cluster.Type} is not supported");
        }

        var (http2, useDownstream, idleTimeout) = Protocol(cluster, where);
        var sockets = Sockets(cluster, where);
        return new ClusterModel
        {
            Name = cluster.Name,
            Policy = policy,
            Balancing = Balancing(cluster, where),
            ConnectTimeout = cluster.ConnectTimeout is { } timeout && timeout.ToTimeSpan() > TimeSpan.Zero ? timeout.ToTimeSpan() : TimeSpan.FromSeconds(10),
            Http2 = http2,
            UseDownstreamProtocol = useDownstream,
            IdleTimeout = idleTimeout ?? TimeSpan.FromHours(1),
            MaxConnectionDuration = cluster.CommonHttpProtocolOptions?.MaxConnectionDuration is { } lifetime && lifetime.ToTimeSpan() > TimeSpan.Zero
                ? lifetime.ToTimeSpan()
                : null,
            EdsServiceName = edsName,
            Endpoints = assignment is null ? ImmutableArray<EndpointConfig>.Empty : Endpoints(assignment, sockets, where),
            CircuitBreakers = CircuitBreakers(cluster.CircuitBreakers, where),
            OutlierDetection = cluster.OutlierDetection is { } outlier ? OutlierDetection(outlier, where) : null,
            HealthCheck = HealthCheck(cluster, where),
            SdsSecretNames = SecretNames(sockets),
            OriginalDestination = OriginalDestination(cluster, where),
        };
    }

    private static ImmutableArray<EndpointConfig> Endpoints(ClusterLoadAssignment assignment, TransportSockets sockets, string where)
    {
        var endpoints = ImmutableArray.CreateBuilder<EndpointConfig>();
        foreach (var locality in assignment.Endpoints)
        {
            var localityName = locality.Locality is { } l ? $"{l.Region}/{l.Zone}/{l.SubZone}" : "";
            foreach (var lb in locality.LbEndpoints)
            {
                var socket = lb.Endpoint?.Address?.SocketAddress
                    ?? throw new ConfigException($"{where}: an endpoint has no socket_address");
                if (socket.PortValue is 0 or > 65535) throw new ConfigException($"{where}: endpoint {socket.Address} has port {socket.PortValue}; it must be 1-65535");
                var health = lb.HealthStatus switch
                {
                    CoreHealth.Unhealthy or CoreHealth.Timeout => EndpointHealth.Unhealthy,
                    CoreHealth.Draining => EndpointHealth.Draining,
                    CoreHealth.Degraded => EndpointHealth.Degraded,
                    _ => EndpointHealth.Healthy,
                };
                var weight = lb.LoadBalancingWeight ?? 1;
                endpoints.Add(new EndpointConfig(socket.Address, (int)socket.PortValue, weight == 0 ? 1 : weight, health, localityName)
                {
                    Tls = SocketFor(sockets, lb.Metadata, locality.Metadata),
                });
            }
        }
        return endpoints.ToImmutable();
    }
}
