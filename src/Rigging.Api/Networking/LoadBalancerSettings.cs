using Rigging.Api.Model;

namespace Rigging.Api.Networking;

/// <summary>How requests are spread across endpoints (set Simple or ConsistentHash).</summary>
public sealed record LoadBalancerSettings
{
    public SimpleLoadBalancer? Simple { get; init; }

    public LoadBalancerConsistentHash? ConsistentHash { get; init; }

    public LocalityLoadBalancerSetting? LocalityLbSetting { get; init; }

    public ZoneAwareLoadBalancerSetting? ZoneAwareLbSetting { get; init; }

    /// <summary>Deprecated in favour of Warmup.</summary>
    public Duration? WarmupDurationSecs { get; init; }

    public WarmupConfiguration? Warmup { get; init; }
}
