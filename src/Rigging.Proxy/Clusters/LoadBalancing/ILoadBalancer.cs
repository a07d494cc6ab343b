namespace Rigging.Proxy.Clusters.LoadBalancing;

/// <summary>Picks an endpoint for one request. Built once per endpoint set; <see cref="Pick"/> is called concurrently.</summary>
public interface ILoadBalancer
{
    EndpointState? Pick(in LoadBalancerContext context);
}

/// <summary>Builds the balancer for a cluster's policy over its endpoint set.</summary>
public static class LoadBalancers
{
    public static ILoadBalancer Create(ClusterModel model, EndpointSet endpoints, RandomSource random) => model.Policy switch
    {
        LoadBalancerPolicy.LeastRequest => new LeastRequestBalancer(endpoints, model.Balancing, random),
        LoadBalancerPolicy.Random => new RandomBalancer(endpoints, random),
        LoadBalancerPolicy.RingHash => new RingHashBalancer(endpoints, model.Balancing, random),
        LoadBalancerPolicy.Maglev => new MaglevBalancer(endpoints, model.Balancing, random),
        _ => new RoundRobinBalancer(endpoints, random),
    };
}
