namespace Rigging.Proxy.Clusters.Outlier;

/// <summary>Why outlier detection ejected an endpoint (Envoy's ejection types).</summary>
public enum EjectionKind
{
    Consecutive5xx,
    ConsecutiveGatewayFailure,
    ConsecutiveLocalOriginFailure,
}
