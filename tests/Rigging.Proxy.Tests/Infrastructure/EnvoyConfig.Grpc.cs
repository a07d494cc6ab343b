using Envoy.Config.Cluster.V3;
using Envoy.Config.Core.V3;
using Envoy.Config.Route.V3;
using Google.Protobuf.WellKnownTypes;
using UpstreamHttp = Envoy.Extensions.Upstreams.Http.V3.HttpProtocolOptions;

namespace Rigging.Proxy.Tests.Infrastructure;

/// <summary>Builders for the gRPC end-to-end tests.</summary>
internal static partial class EnvoyConfig
{
    /// <summary>An EDS cluster speaking h2c upstream the way Istio configures gRPC ports: typed_extension_protocol_options, explicit_http_config http2.</summary>
    public static Cluster GrpcCluster(string name)
    {
        var cluster = EdsCluster(name);
        cluster.TypedExtensionProtocolOptions["envoy.extensions.upstreams.http.v3.HttpProtocolOptions"] = Any.Pack(new UpstreamHttp
        {
            ExplicitHttpConfig = new UpstreamHttp.Types.ExplicitHttpConfig { Http2ProtocolOptions = new Http2ProtocolOptions() },
        });
        return cluster;
    }

    /// <summary>An EDS cluster that sends each request in the downstream's version, as Istio configures sniffed ports.</summary>
    public static Cluster DownstreamProtocolCluster(string name)
    {
        var cluster = EdsCluster(name);
        cluster.TypedExtensionProtocolOptions["envoy.extensions.upstreams.http.v3.HttpProtocolOptions"] = Any.Pack(new UpstreamHttp
        {
            UseDownstreamProtocolConfig = new UpstreamHttp.Types.UseDownstreamHttpConfig
            {
                HttpProtocolOptions = new Http1ProtocolOptions(),
                Http2ProtocolOptions = new Http2ProtocolOptions(),
            },
        });
        return cluster;
    }

    /// <summary>Every path to <paramref name="cluster"/>, retrying on <paramref name="retryOn"/> (gRPC conditions such as "unavailable") when given.</summary>
    public static RouteConfiguration GrpcRoutes(string name, string cluster, string? retryOn = null, uint retries = 2)
    {
        var route = Prefix("/", cluster);
        if (retryOn is not null)
        {
            route.Route_.RetryPolicy = new RetryPolicy
            {
                RetryOn = retryOn,
                NumRetries = retries,
                RetryBackOff = new RetryPolicy.Types.RetryBackOff { BaseInterval = Duration.FromTimeSpan(TimeSpan.FromMilliseconds(5)) },
            };
        }
        return Routes(name, route);
    }
}
