using Envoy.Config.Cluster.V3;
using Envoy.Config.Core.V3;
using UpstreamOptions = Envoy.Extensions.Upstreams.Http.V3.HttpProtocolOptions;
using Google.Protobuf.WellKnownTypes;
using Rigging.ControlPlane.Model;

namespace Rigging.ControlPlane.Translation;

/// <summary>
/// Which HTTP version a cluster speaks upstream, as Istio writes it: HTTP/2 for gRPC and HTTP/2 ports (and
/// idle-timeout settings) in the cluster's upstream HttpProtocolOptions; the downstream request's version for a
/// sniffed port (an h2c or gRPC client stays HTTP/2); HTTP/1.1 otherwise.
/// </summary>
internal static class ProtocolOptions
{
    public const string Key = "envoy.extensions.upstreams.http.v3.HttpProtocolOptions";

    public static void Apply(Cluster cluster, Protocol protocol, TimeSpan? idleTimeout = null)
    {
        if (!protocol.IsHttp2() && protocol != Protocol.Auto && idleTimeout is null) return;
        var options = new UpstreamOptions();
        if (protocol.IsHttp2())
            options.ExplicitHttpConfig = new UpstreamOptions.Types.ExplicitHttpConfig { Http2ProtocolOptions = new Http2ProtocolOptions() };
        else if (protocol == Protocol.Auto)
            options.UseDownstreamProtocolConfig = new UpstreamOptions.Types.UseDownstreamHttpConfig
            {
                HttpProtocolOptions = new Http1ProtocolOptions(),
                Http2ProtocolOptions = new Http2ProtocolOptions(),
            };
        if (idleTimeout is { } idle)
            options.CommonHttpProtocolOptions = new Envoy.Config.Core.V3.HttpProtocolOptions { IdleTimeout = Duration.FromTimeSpan(idle) };
        cluster.TypedExtensionProtocolOptions[Key] = Any.Pack(options);
    }
}
