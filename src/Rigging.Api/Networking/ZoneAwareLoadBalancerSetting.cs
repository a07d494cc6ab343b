namespace Rigging.Api.Networking;

/// <summary>Zone-aware routing: prefer endpoints in the caller's zone.</summary>
public sealed record ZoneAwareLoadBalancerSetting
{
    public bool? Enabled { get; init; }

    public IReadOnlyList<ZoneAwareLbFailover>? Failover { get; init; }

    public IReadOnlyList<string>? FailoverPriority { get; init; }

    public ulong? MinClusterSize { get; init; }
}
