using System.Collections.Immutable;
using Rigging.Proxy.Clusters;
using Rigging.Proxy.Clusters.LoadBalancing;

namespace Rigging.Proxy.Tests.Clusters;

/// <summary>Endpoint sets and balancers for unit tests, without sockets.</summary>
internal static class BalancerTestKit
{
    public static EndpointSet Set(params uint[] weights)
    {
        var endpoints = ImmutableArray.CreateBuilder<EndpointState>(weights.Length);
        for (var i = 0; i < weights.Length; i++)
            endpoints.Add(new EndpointState(new EndpointConfig("10.0.0." + (i + 1), 8080, weights[i], EndpointHealth.Healthy, "")));
        return new EndpointSet(endpoints.MoveToImmutable());
    }

    public static EndpointSet Even(int count) => Set([.. Enumerable.Repeat(1u, count)]);

    public static ILoadBalancer Balancer(LoadBalancerPolicy policy, EndpointSet set, int seed = 1, LoadBalancerOptions? options = null) =>
        LoadBalancers.Create(new ClusterModel { Name = "c", Policy = policy, Balancing = options ?? LoadBalancerOptions.Default }, set,
            new RandomSource(new Random(seed)));

    /// <summary>How many of <paramref name="picks"/> each endpoint (by index) receives.</summary>
    public static int[] Count(ILoadBalancer balancer, EndpointSet set, int picks, Func<int, ulong?>? hash = null, EndpointState? avoid = null)
    {
        var counts = new int[set.Count];
        for (var i = 0; i < picks; i++)
        {
            var picked = balancer.Pick(new LoadBalancerContext(hash?.Invoke(i), avoid));
            counts[set.All.IndexOf(picked!)]++;
        }
        return counts;
    }

    /// <summary>Which endpoint key each of <paramref name="keys"/> hashes lands on.</summary>
    public static string[] Owners(ILoadBalancer balancer, int keys)
    {
        var owners = new string[keys];
        for (var i = 0; i < keys; i++) owners[i] = balancer.Pick(new LoadBalancerContext(Rigging.Proxy.Routing.KeyHash.Of("user-" + i), null))!.Config.Key;
        return owners;
    }
}
