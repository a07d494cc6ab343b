namespace Rigging.Api.Networking;

/// <summary>Locality-weighted load balancing and failover.</summary>
public sealed record LocalityLoadBalancerSetting
{
    public IReadOnlyList<LocalityLbDistribute>? Distribute { get; init; }

    public IReadOnlyList<LocalityLbFailover>? Failover { get; init; }

    public IReadOnlyList<string>? FailoverPriority { get; init; }

    public bool? Enabled { get; init; }
}
