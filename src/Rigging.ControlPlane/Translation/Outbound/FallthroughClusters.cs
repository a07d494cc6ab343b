using Envoy.Config.Cluster.V3;
using Envoy.Config.Core.V3;
using Google.Protobuf.WellKnownTypes;
using UpstreamOptions = Envoy.Extensions.Upstreams.Http.V3.HttpProtocolOptions;

namespace Rigging.ControlPlane.Translation.Outbound;

/// <summary>
/// The clusters unknown destinations fall to, as Istio builds them: every sidecar gets both (which one its routes use
/// follows <see cref="OutboundPolicy"/>), gateways only BlackHoleCluster (they have no original-destination traffic).
/// </summary>
internal static class FallthroughClusters
{
    /// <summary>
    /// ORIGINAL_DST: each request goes where the app asked. Upstream HTTP follows the downstream protocol, idle
    /// connections close after 5 minutes, limits are Istio's unlimited defaults.
    /// </summary>
    public static Cluster Passthrough(MeshSettings mesh)
    {
        var cluster = new Cluster
        {
            Name = ClusterNames.Passthrough,
            Type = Cluster.Types.DiscoveryType.OriginalDst,
            ConnectTimeout = Duration.FromTimeSpan(mesh.ConnectTimeout),
            LbPolicy = Cluster.Types.LbPolicy.ClusterProvided,
            AltStatName = ClusterNames.Passthrough + ";",
        };
        cluster.TypedExtensionProtocolOptions[ProtocolOptions.Key] = Any.Pack(new UpstreamOptions
        {
            CommonHttpProtocolOptions = new Envoy.Config.Core.V3.HttpProtocolOptions { IdleTimeout = Duration.FromTimeSpan(TimeSpan.FromMinutes(5)) },
            UseDownstreamProtocolConfig = new UpstreamOptions.Types.UseDownstreamHttpConfig
            {
                HttpProtocolOptions = new Http1ProtocolOptions(),
                Http2ProtocolOptions = new Http2ProtocolOptions(),
            },
        });
        TrafficPolicyTranslator.CircuitBreakers(cluster, null);
        return cluster;
    }

    /// <summary>STATIC with no endpoints: whatever reaches it finds no host (HTTP 503 UH, TCP closed).</summary>
    public static Cluster BlackHole(MeshSettings mesh) => new()
    {
        Name = ClusterNames.BlackHole,
        Type = Cluster.Types.DiscoveryType.Static,
        ConnectTimeout = Duration.FromTimeSpan(mesh.ConnectTimeout),
        LbPolicy = Cluster.Types.LbPolicy.RoundRobin,
        AltStatName = ClusterNames.BlackHole + ";",
    };
}
