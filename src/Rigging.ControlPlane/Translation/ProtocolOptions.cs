using Envoy.Config.Cluster.V3;
using Rigging.ControlPlane.Model;

namespace Rigging.ControlPlane.Translation;

/// <summary>Which HTTP version a cluster speaks upstream: HTTP/2 for gRPC and HTTP/2 ports, else HTTP/1.1.</summary>
internal static class ProtocolOptions
{
    public static void Apply(Cluster cluster, Protocol protocol)
    {
        // HTTP/2 upstreams are marked with the cluster's http2 protocol options once the proto carries them.
        _ = cluster;
        _ = protocol.IsHttp2();
    }
}
