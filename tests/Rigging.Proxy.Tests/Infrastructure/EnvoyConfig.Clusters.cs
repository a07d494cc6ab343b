using Envoy.Config.Cluster.V3;
using Envoy.Config.Core.V3;
using Envoy.Config.Endpoint.V3;
using Envoy.Type.V3;
using Google.Protobuf.WellKnownTypes;

namespace Rigging.Proxy.Tests.Infrastructure;

/// <summary>Cluster builders: circuit breakers, outlier detection, health checks, weighted endpoints.</summary>
internal static partial class EnvoyConfig
{
    public static Cluster WithCircuitBreakers(this Cluster cluster, uint? maxRequests = null, uint? maxPending = null, uint? maxConnections = null, uint? maxRetries = null)
    {
        var thresholds = new CircuitBreakers.Types.Thresholds { Priority = RoutingPriority.Default };
        if (maxRequests is { } r) thresholds.MaxRequests = r;
        if (maxPending is { } p) thresholds.MaxPendingRequests = p;
        if (maxConnections is { } c) thresholds.MaxConnections = c;
        if (maxRetries is { } t) thresholds.MaxRetries = t;
        cluster.CircuitBreakers = new CircuitBreakers { Thresholds = { thresholds } };
        return cluster;
    }

    public static Cluster WithOutlierDetection(this Cluster cluster, uint consecutive5xx, TimeSpan interval, TimeSpan baseEjection, uint maxEjectionPercent = 100)
    {
        cluster.OutlierDetection = new OutlierDetection
        {
            Consecutive5Xx = consecutive5xx,
            Interval = Duration.FromTimeSpan(interval),
            BaseEjectionTime = Duration.FromTimeSpan(baseEjection),
            MaxEjectionPercent = maxEjectionPercent,
        };
        return cluster;
    }

    public static Cluster WithHttpHealthCheck(this Cluster cluster, string path, TimeSpan interval, uint unhealthy = 1, uint healthy = 1)
    {
        cluster.HealthChecks.Add(new HealthCheck
        {
            Timeout = Duration.FromTimeSpan(TimeSpan.FromSeconds(1)),
            Interval = Duration.FromTimeSpan(interval),
            UnhealthyThreshold = unhealthy,
            HealthyThreshold = healthy,
            HttpHealthCheck = new HealthCheck.Types.HttpHealthCheck { Path = path, ExpectedStatuses = { new Int64Range { Start = 200, End = 300 } } },
        });
        return cluster;
    }

    public static Cluster WithPolicy(this Cluster cluster, Cluster.Types.LbPolicy policy)
    {
        cluster.LbPolicy = policy;
        return cluster;
    }

    public static ClusterLoadAssignment WeightedEndpoints(string cluster, params (int Port, uint Weight)[] endpoints)
    {
        var locality = new LocalityLbEndpoints();
        foreach (var (port, weight) in endpoints)
        {
            locality.LbEndpoints.Add(new LbEndpoint { Endpoint = new Endpoint { Address = Socket("127.0.0.1", port) }, LoadBalancingWeight = weight });
        }
        return new ClusterLoadAssignment { ClusterName = cluster, Endpoints = { locality } };
    }
}
