namespace Rigging.Proxy.Clusters;

/// <summary>Envoy's lb_policy values the proxy implements.</summary>
public enum LoadBalancerPolicy
{
    RoundRobin,
    LeastRequest,
    Random,
    RingHash,
    Maglev,

    /// <summary>CLUSTER_PROVIDED: the cluster picks (ORIGINAL_DST: the request's destination).</summary>
    ClusterProvided,
}
