using Envoy.Config.Core.V3;
using Envoy.Config.Listener.V3;
using Envoy.Extensions.Filters.Http.Fault.V3;
using Envoy.Extensions.Filters.Http.Router.V3;
using Envoy.Extensions.Filters.Network.HttpConnectionManager.V3;
using Google.Protobuf.WellKnownTypes;

namespace Rigging.ControlPlane.Translation;

/// <summary>
/// A sidecar's listeners: "virtualOutbound" on 127.0.0.1 at the proxy's outbound port, the HTTP proxy its
/// application uses through HTTP_PROXY (routes by the request's host and port), and "virtualInbound" at its
/// inbound port in front of the application.
/// </summary>
internal static class ListenerGenerator
{
    public const string OutboundName = "virtualOutbound";
    public const string InboundName = "virtualInbound";

    public static Listener Outbound(int port, string routeName) =>
        Http(OutboundName, "127.0.0.1", port, routeName, "outbound_" + port, TrafficDirection.Outbound, []);

    /// <param name="policy">Security filters (JWT, authorization) that run before fault and router.</param>
    public static Listener Inbound(string address, int port, string routeName, IEnumerable<HttpFilter> policy) =>
        Http(InboundName, address, port, routeName, "inbound_" + port, TrafficDirection.Inbound, policy);

    /// <summary>A gateway's listener on every address at a server port ("0.0.0.0_80", as Istio names it).</summary>
    public static Listener Gateway(int port, string routeName, IEnumerable<HttpFilter> policy) =>
        Http($"0.0.0.0_{port}", "0.0.0.0", port, routeName, $"outbound_0.0.0.0_{port}", TrafficDirection.Outbound, policy);

    private static Listener Http(string name, string address, int port, string routeName, string statPrefix, TrafficDirection direction, IEnumerable<HttpFilter> policy)
    {
        var hcm = new HttpConnectionManager
        {
            StatPrefix = statPrefix,
            Rds = new Rds { RouteConfigName = routeName, ConfigSource = new ConfigSource { Ads = new AggregatedConfigSource() } },
            HttpFilters = { policy, HttpFilters() },
        };
        return new Listener
        {
            Name = name,
            Address = EndpointGenerator.Socket(address, port),
            TrafficDirection = direction,
            FilterChains = { new FilterChain { Filters = { new Filter { Name = FilterNames.HttpConnectionManager, TypedConfig = Any.Pack(hcm) } } } },
        };
    }

    /// <summary>Fault (configured per route), then the router, as Istio orders them.</summary>
    public static IEnumerable<HttpFilter> HttpFilters()
    {
        yield return new HttpFilter { Name = FilterNames.Fault, TypedConfig = Any.Pack(new HTTPFault()) };
        yield return new HttpFilter { Name = FilterNames.Router, TypedConfig = Any.Pack(new Router()) };
    }
}
