using Envoy.Config.Cluster.V3;
using Google.Protobuf.WellKnownTypes;
using Rigging.Api.Model;
using Duration = Google.Protobuf.WellKnownTypes.Duration;
using Rigging.Api.Networking;

namespace Rigging.ControlPlane.Translation;

/// <summary>
/// DestinationRule traffic policy → Envoy cluster settings: load balancer, connection pool (circuit breakers),
/// outlier detection. Where nothing is set, Istio's defaults: LEAST_REQUEST, limits effectively unlimited
/// (Istio overrides Envoy's 1024s), outlier detection off.
/// </summary>
internal static class TrafficPolicyTranslator
{
    private const uint Unlimited = uint.MaxValue;

    /// <summary>The policy for a port: port-level settings override the rule's, a subset's override both.</summary>
    public static TrafficPolicy? Merge(TrafficPolicy? rule, TrafficPolicy? subset, int port)
    {
        var merged = Overlay(rule, subset);
        var level = merged?.PortLevelSettings?.FirstOrDefault(p => p?.Port?.Number == (uint)port);
        if (level is null) return merged;
        return (merged ?? new TrafficPolicy()) with
        {
            LoadBalancer = level.LoadBalancer ?? merged?.LoadBalancer,
            ConnectionPool = level.ConnectionPool ?? merged?.ConnectionPool,
            OutlierDetection = level.OutlierDetection ?? merged?.OutlierDetection,
            Tls = level.Tls ?? merged?.Tls,
        };
    }

    private static TrafficPolicy? Overlay(TrafficPolicy? under, TrafficPolicy? over)
    {
        if (over is null) return under;
        if (under is null) return over;
        return under with
        {
            LoadBalancer = over.LoadBalancer ?? under.LoadBalancer,
            ConnectionPool = over.ConnectionPool ?? under.ConnectionPool,
            OutlierDetection = over.OutlierDetection ?? under.OutlierDetection,
            Tls = over.Tls ?? under.Tls,
            PortLevelSettings = over.PortLevelSettings ?? under.PortLevelSettings,
        };
    }

    public static void Apply(Cluster cluster, TrafficPolicy? policy, TimeSpan defaultConnectTimeout)
    {
        cluster.ConnectTimeout = Duration.FromTimeSpan(policy?.ConnectionPool?.Tcp?.ConnectTimeout?.Value ?? defaultConnectTimeout);
        LoadBalancer(cluster, policy?.LoadBalancer);
        CircuitBreakers(cluster, policy?.ConnectionPool);
        if (policy?.OutlierDetection is { } outlier) cluster.OutlierDetection = Outlier(outlier);
    }

    private static void LoadBalancer(Cluster cluster, LoadBalancerSettings? lb)
    {
        cluster.LbPolicy = Cluster.Types.LbPolicy.LeastRequest;
        if (lb?.Simple is { } simple)
        {
            cluster.LbPolicy = simple switch
            {
                SimpleLoadBalancer.ROUND_ROBIN => Cluster.Types.LbPolicy.RoundRobin,
                SimpleLoadBalancer.RANDOM => Cluster.Types.LbPolicy.Random,
                _ => Cluster.Types.LbPolicy.LeastRequest,
            };
        }
        else if (lb?.ConsistentHash is { } hash)
        {
            if (hash.Maglev is not null)
            {
                cluster.LbPolicy = Cluster.Types.LbPolicy.Maglev;
            }
            else
            {
                cluster.LbPolicy = Cluster.Types.LbPolicy.RingHash;
                var size = hash.RingHash?.MinimumRingSize ?? hash.MinimumRingSize;
                if (size is { } minimum) cluster.RingHashLbConfig = new Cluster.Types.RingHashLbConfig { MinimumRingSize = minimum };
            }
        }
    }

    /// <summary>Connection pool settings as circuit breakers (unset limits: Istio's effectively unlimited defaults).</summary>
    public static void CircuitBreakers(Cluster cluster, ConnectionPoolSettings? pool)
    {
        var thresholds = new CircuitBreakers.Types.Thresholds
        {
            MaxConnections = Limit(pool?.Tcp?.MaxConnections),
            MaxPendingRequests = Limit(pool?.Http?.Http1MaxPendingRequests),
            MaxRequests = Limit(pool?.Http?.Http2MaxRequests),
            MaxRetries = Limit(pool?.Http?.MaxRetries),
        };
        cluster.CircuitBreakers = new CircuitBreakers { Thresholds = { thresholds } };
        if (pool?.Http?.MaxRequestsPerConnection is > 0 and var perConnection) cluster.MaxRequestsPerConnection = (uint)perConnection;
    }

    private static uint Limit(int? value) => value is > 0 ? (uint)value.Value : Unlimited;

    private static Envoy.Config.Cluster.V3.OutlierDetection Outlier(Api.Networking.OutlierDetection o)
    {
        var detection = new Envoy.Config.Cluster.V3.OutlierDetection
        {
            Interval = Duration.FromTimeSpan(o.Interval?.Value ?? TimeSpan.FromSeconds(10)),
            BaseEjectionTime = Duration.FromTimeSpan(o.BaseEjectionTime?.Value ?? TimeSpan.FromSeconds(30)),
            MaxEjectionPercent = (uint)(o.MaxEjectionPercent ?? 10),
            // Istio counts 5xx through the gateway-error and 5xx detectors and leaves success-rate ejection off.
            EnforcingSuccessRate = 0,
        };
        var fiveXx = o.Consecutive5xxErrors ?? (o.ConsecutiveErrors is { } legacy ? (uint)legacy : null);
        if (fiveXx is { } n)
        {
            detection.Consecutive5Xx = n;
            detection.EnforcingConsecutive5Xx = n > 0 ? 100u : 0u;
        }
        else
        {
            detection.EnforcingConsecutive5Xx = 0;
        }
        if (o.ConsecutiveGatewayErrors is { } gateway)
        {
            detection.ConsecutiveGatewayFailure = gateway;
            detection.EnforcingConsecutiveGatewayFailure = gateway > 0 ? 100u : 0u;
        }
        if (o.SplitExternalLocalOriginErrors is true)
        {
            detection.SplitExternalLocalOriginErrors = true;
            if (o.ConsecutiveLocalOriginFailures is { } local) detection.ConsecutiveLocalOriginFailure = local;
        }
        return detection;
    }
}
