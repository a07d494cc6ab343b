using Envoy.Config.Cluster.V3;
using Rigging.Proxy.Clusters.OriginalDestination;

namespace Rigging.Proxy.Config;

internal static partial class ClusterCompiler
{
    /// <summary>ORIGINAL_DST's settings, refused as Envoy refuses them; null for every other cluster type.</summary>
    private static OriginalDestinationConfig? OriginalDestination(Cluster cluster, string where)
    {
        var lb = cluster.OriginalDstLbConfig;
        if (cluster.Type != Cluster.Types.DiscoveryType.OriginalDst)
        {
            if (lb is not null) throw new ConfigException($"{where}: original_dst_lb_config needs type ORIGINAL_DST (got {cluster.Type})");
            return null;
        }
        if (cluster.LbPolicy != Cluster.Types.LbPolicy.ClusterProvided)
            throw new ConfigException($"{where}: lb_policy {cluster.LbPolicy} is not valid for type ORIGINAL_DST; only CLUSTER_PROVIDED is allowed");
        if (cluster.LoadAssignment is not null) throw new ConfigException($"{where}: an ORIGINAL_DST cluster must have no load_assignment");
        // Hosts are made per request, so there is no endpoint metadata to choose a transport socket by.
        if (cluster.TransportSocket is not null || cluster.TransportSocketMatches.Count > 0)
            throw new ConfigException($"{where}: transport sockets on an ORIGINAL_DST cluster are not supported");
        if (lb is { UseHttpHeader: false, HttpHeaderName.Length: > 0 })
            throw new ConfigException($"{where}: original_dst_lb_config.http_header_name \"{lb.HttpHeaderName}\" needs use_http_header: true");
        var header = lb is { UseHttpHeader: true }
            ? (lb.HttpHeaderName.Length > 0 ? lb.HttpHeaderName.ToLowerInvariant() : OriginalDestinationConfig.DefaultHeaderName)
            : null;
        var interval = OriginalDestinationConfig.DefaultCleanupInterval;
        if (cluster.CleanupInterval is { } given)
        {
            interval = given.ToTimeSpan();
            if (interval <= TimeSpan.Zero) throw new ConfigException($"{where}: cleanup_interval must be positive (got {interval.TotalMilliseconds} ms)");
        }
        return new OriginalDestinationConfig(header, interval);
    }
}
