namespace Rigging.Proxy.Clusters.LoadBalancing;

/// <summary>What a balancer may use for one pick: a hash for consistent hashing, and an endpoint to avoid (a retry).</summary>
public readonly record struct LoadBalancerContext(ulong? Hash, EndpointState? Avoid);
