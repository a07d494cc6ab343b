using System.Collections.Immutable;

namespace Rigging.Proxy.Clusters.LoadBalancing;

/// <summary>Picks an endpoint for one request. Built once per endpoint set; <see cref="Pick"/> is called concurrently.</summary>
public interface ILoadBalancer
{
    EndpointState? Pick(in LoadBalancerContext context);
}

/// <summary>Builds the balancer for a cluster's policy over its endpoint set.</summary>
public static class LoadBalancers
{
    public static ILoadBalancer Create(LoadBalancerPolicy policy, ImmutableArray<EndpointState> endpoints, Random random) => policy switch
    {
        _ => new RoundRobinBalancer(endpoints),
    };
}
