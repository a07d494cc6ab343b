namespace Rigging.Proxy.Clusters;

/// <summary>Envoy's lb_policy values the proxy implements.</summary>
public enum LoadBalancerPolicy
{
    RoundRobin,
    LeastRequest,
    Random,
    RingHash,
    Maglev,
}
