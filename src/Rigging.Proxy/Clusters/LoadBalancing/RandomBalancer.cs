namespace Rigging.Proxy.Clusters.LoadBalancing;

/// <summary>Envoy's random policy: a uniformly random usable endpoint (weights are not used, as in Envoy).</summary>
internal sealed class RandomBalancer(EndpointSet set, RandomSource random) : ILoadBalancer
{
    private const int Draws = 4;

    public EndpointState? Pick(in LoadBalancerContext context)
    {
        var endpoints = set.All;
        if (endpoints.Length == 0) return null;
        var panic = set.InPanic;
        for (var draw = 0; draw < Draws; draw++)
        {
            var endpoint = endpoints[random.Next(endpoints.Length)];
            if (EndpointSet.Usable(endpoint, panic) && !ReferenceEquals(endpoint, context.Avoid)) return endpoint;
        }
        return set.Scan(random.Next(endpoints.Length), context.Avoid, panic);
    }
}
