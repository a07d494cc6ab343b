using Microsoft.AspNetCore.Http;
using Rigging.Proxy.Clusters;
using Rigging.Proxy.Clusters.LoadBalancing;
using Rigging.Proxy.Clusters.OriginalDestination;

namespace Rigging.Proxy.Http.Forwarding;

public sealed partial class HttpForwarder
{
    /// <summary>The cluster's balancer picks, except for ORIGINAL_DST, whose host is the request's destination.</summary>
    private static EndpointState? PickEndpoint(HttpContext context, ClusterState cluster, in LoadBalancerContext balancing, out string? refusal)
    {
        refusal = null;
        return cluster.OriginalDestinations is { } original ? PickOriginalDestination(context, original, out refusal) : cluster.Pick(balancing);
    }

    /// <summary>
    /// ORIGINAL_DST for a request that came through HTTP_PROXY: the destination is the authority the app asked for
    /// (absolute-form URI or Host), unless the cluster lets a header name it and the header holds an IP:port (an
    /// invalid value is counted and ignored, as Envoy does). Null, with the reason, when the authority is unusable.
    /// </summary>
    private static EndpointState? PickOriginalDestination(HttpContext context, OriginalDestinationHosts hosts, out string? refusal)
    {
        var authority = context.Request.Host.Value;
        if (hosts.Config.HeaderName is { } name && context.Request.Headers[name] is { Count: > 0 } header)
        {
            // Untrusted: only the first value counts.
            if (header[0] is { } value && DestinationAuthority.IsAddressAndPort(value)) authority = value;
            else hosts.InvalidOverride();
        }
        var connection = context.Connection;
        return hosts.Find(authority, context.Request.IsHttps ? 443 : 80, connection.LocalIpAddress, connection.LocalPort, out refusal);
    }
}
