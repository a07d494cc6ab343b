namespace Rigging.Proxy.Clusters.OriginalDestination;

/// <summary>
/// An ORIGINAL_DST cluster's settings: which request header may name the destination (original_dst_lb_config
/// use_http_header / http_header_name; null: none) and how often unused destinations are forgotten
/// (cleanup_interval, Envoy's default 5 s).
/// </summary>
public sealed record OriginalDestinationConfig(string? HeaderName, TimeSpan CleanupInterval)
{
    /// <summary>Envoy's header when use_http_header is set without a name.</summary>
    public const string DefaultHeaderName = "x-envoy-original-dst-host";

    public static readonly TimeSpan DefaultCleanupInterval = TimeSpan.FromSeconds(5);
}
