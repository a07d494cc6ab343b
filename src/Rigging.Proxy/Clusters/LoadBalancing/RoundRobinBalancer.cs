using System.Collections.Immutable;

namespace Rigging.Proxy.Clusters.LoadBalancing;

/// <summary>Round robin over the available endpoints, skipping the one to avoid when there is another.</summary>
internal sealed class RoundRobinBalancer(ImmutableArray<EndpointState> endpoints) : ILoadBalancer
{
    private int _next = -1;

    public EndpointState? Pick(in LoadBalancerContext context)
    {
        var count = endpoints.Length;
        if (count == 0) return null;
        EndpointState? fallback = null;
        for (var attempt = 0; attempt < count; attempt++)
        {
            var index = (int)((uint)Interlocked.Increment(ref _next) % (uint)count);
            var endpoint = endpoints[index];
            if (!endpoint.Available) continue;
            if (ReferenceEquals(endpoint, context.Avoid))
            {
                fallback = endpoint;
                continue;
            }
            return endpoint;
        }
        return fallback;
    }
}
