namespace Rigging.Proxy.Clusters;

/// <summary>Per-policy balancer settings from the cluster's lb configs (Envoy's defaults where unset).</summary>
public sealed record LoadBalancerOptions
{
    public static LoadBalancerOptions Default { get; } = new();

    /// <summary>ring_hash_lb_config.minimum_ring_size (Envoy: 1024).</summary>
    public int MinimumRingSize { get; init; } = 1024;

    /// <summary>ring_hash_lb_config.maximum_ring_size (Envoy: 8M).</summary>
    public int MaximumRingSize { get; init; } = 8 * 1024 * 1024;

    /// <summary>maglev_lb_config.table_size: a prime (Envoy: 65537).</summary>
    public int MaglevTableSize { get; init; } = 65537;

    /// <summary>least_request_lb_config.choice_count (Envoy: 2, the power of two choices).</summary>
    public int ChoiceCount { get; init; } = 2;

    /// <summary>least_request_lb_config.active_request_bias: effective weight = weight / (active + 1)^bias.</summary>
    public double ActiveRequestBias { get; init; } = 1.0;

    /// <summary>common_lb_config.healthy_panic_threshold: below this % of available endpoints, balance over all.</summary>
    public double PanicThresholdPercent { get; init; } = 50;
}
