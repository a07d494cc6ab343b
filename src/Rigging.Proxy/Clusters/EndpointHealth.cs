namespace Rigging.Proxy.Clusters;

/// <summary>Health as EDS reports it (Envoy's HealthStatus, reduced to what routing needs).</summary>
public enum EndpointHealth
{
    Healthy,
    Degraded,
    Unhealthy,
    Draining,
}
