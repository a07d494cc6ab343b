using Envoy.Config.Core.V3;
using Envoy.Config.Listener.V3;
using Envoy.Extensions.Filters.Http.Fault.V3;
using Envoy.Extensions.Filters.Http.Router.V3;
using Envoy.Extensions.Filters.Network.HttpConnectionManager.V3;
using Google.Protobuf.WellKnownTypes;
using Rigging.Api.Security;
using Rigging.ControlPlane.Translation.Security.Mtls;

namespace Rigging.ControlPlane.Translation;

/// <summary>
/// A sidecar's listeners: "virtualOutbound" on 127.0.0.1 at the proxy's outbound port, the HTTP proxy its
/// application uses through HTTP_PROXY (routes by the request's host and port), and "virtualInbound" at its
/// inbound port in front of the application, whose filter chains follow the workload's PeerAuthentication
/// (<see cref="InboundChains"/>): HTTP when the service ports targeting its application port are HTTP, TCP when
/// they are TCP (<see cref="InboundTcp"/>), both when the protocol is sniffed (<see cref="InboundSniffed"/>). Gateways get one listener per server port from <see cref="GatewayGenerator"/>.
/// </summary>
internal static class ListenerGenerator
{
    public const string OutboundName = "virtualOutbound";
    public const string InboundName = "virtualInbound";

    public static Listener Outbound(int port, string routeName) => new()
    {
        Name = OutboundName,
        Address = EndpointGenerator.Socket("127.0.0.1", port),
        TrafficDirection = TrafficDirection.Outbound,
        FilterChains = { new FilterChain { Filters = { HttpFilter(Hcm(routeName, "outbound_" + port, [])) } } },
    };

    /// <param name="policy">Security filters (JWT, authorization) that run before fault and router.</param>
    /// <param name="mode">The workload's effective mTLS mode on its application port.</param>
    /// <param name="rbac">Network RBAC for TLS that is not the mesh's, passed through to the application (PERMISSIVE).</param>
    public static Listener Inbound(string address, int port, int appPort, string routeName, IEnumerable<HttpFilter> policy, IEnumerable<Filter> rbac,
        MutualTlsMode mode = MutualTlsMode.PERMISSIVE)
    {
        var listener = InboundListener(address, port);
        listener.FilterChains.AddRange(InboundChains.Build(mode, [InboundHttp(port, routeName, policy)], http: true, InboundTcpFilters(appPort, rbac), (uint)port));
        return listener;
    }

    /// <summary>
    /// The inbound listener of a workload whose application port serves TCP: per mTLS chain, the network RBAC
    /// filters of its AuthorizationPolicies, then a tcp_proxy to inbound|APP||, matched by the inbound port.
    /// </summary>
    public static Listener InboundTcp(string address, int port, int appPort, IEnumerable<Filter> rbac, MutualTlsMode mode)
    {
        var listener = InboundListener(address, port);
        var tcp = InboundTcpFilters(appPort, rbac);
        listener.FilterChains.AddRange(InboundChains.Build(mode, tcp, http: false, tcp, (uint)port));
        return listener;
    }

    /// <summary>
    /// The inbound listener of a workload whose application port's protocol is sniffed (unnamed or unknown port
    /// name): HTTP connections get the HTTP chain (routes, HTTP policy, HTTP telemetry), the others the TCP chain.
    /// </summary>
    public static Listener InboundSniffed(string address, int port, int appPort, string routeName, IEnumerable<HttpFilter> policy, IEnumerable<Filter> rbac,
        MutualTlsMode mode)
    {
        var listener = InboundListener(address, port);
        listener.FilterChains.AddRange(InboundChains.BuildSniffed(mode, [InboundHttp(port, routeName, policy)], InboundTcpFilters(appPort, rbac), (uint)port));
        return listener;
    }

    private static Listener InboundListener(string address, int port) => new()
    {
        Name = InboundName,
        Address = EndpointGenerator.Socket(address, port),
        TrafficDirection = TrafficDirection.Inbound,
    };

    private static Filter InboundHttp(int port, string routeName, IEnumerable<HttpFilter> policy)
    {
        var hcm = Hcm(routeName, "inbound_" + port, policy);
        // Istio's sidecar inbound: append the caller's certificate details (subject, URI and DNS SANs) to XFCC.
        hcm.ForwardClientCertDetails = HttpConnectionManager.Types.ForwardClientCertDetails.AppendForward;
        hcm.SetCurrentClientCertDetails = new HttpConnectionManager.Types.SetCurrentClientCertDetails { Subject = true, Uri = true, Dns = true };
        return HttpFilter(hcm);
    }

    private static List<Filter> InboundTcpFilters(int appPort, IEnumerable<Filter> rbac)
    {
        var cluster = ClusterNames.Inbound(appPort);
        var tcp = new Envoy.Extensions.Filters.Network.TcpProxy.V3.TcpProxy { StatPrefix = cluster, Cluster = cluster };
        return [.. rbac, new Filter { Name = FilterNames.TcpProxy, TypedConfig = Any.Pack(tcp) }];
    }

    /// <summary>A gateway's listener on every address at a server port ("0.0.0.0_80", as Istio names it).</summary>
    public static Listener Gateway(int port, IEnumerable<FilterChain> chains)
    {
        var listener = new Listener
        {
            Name = $"0.0.0.0_{port}",
            Address = EndpointGenerator.Socket("0.0.0.0", port),
            TrafficDirection = TrafficDirection.Outbound,
        };
        listener.FilterChains.AddRange(chains);
        return listener;
    }

    /// <summary>A gateway's HTTP connection manager: XFCC sanitized and set from a client certificate, as Istio's gateways do.</summary>
    public static Filter GatewayHttp(int port, string routeName, IEnumerable<HttpFilter> policy)
    {
        var hcm = Hcm(routeName, $"outbound_0.0.0.0_{port}", policy);
        hcm.ForwardClientCertDetails = HttpConnectionManager.Types.ForwardClientCertDetails.SanitizeSet;
        hcm.SetCurrentClientCertDetails = new HttpConnectionManager.Types.SetCurrentClientCertDetails { Subject = true, Cert = true, Uri = true, Dns = true };
        return HttpFilter(hcm);
    }

    private static HttpConnectionManager Hcm(string routeName, string statPrefix, IEnumerable<HttpFilter> policy) => new()
    {
        StatPrefix = statPrefix,
        Rds = new Rds { RouteConfigName = routeName, ConfigSource = new ConfigSource { Ads = new AggregatedConfigSource() } },
        HttpFilters = { policy, HttpFilters() },
    };

    private static Filter HttpFilter(HttpConnectionManager hcm) => new() { Name = FilterNames.HttpConnectionManager, TypedConfig = Any.Pack(hcm) };

    /// <summary>Fault (configured per route), then the router, as Istio orders them.</summary>
    public static IEnumerable<HttpFilter> HttpFilters()
    {
        yield return new HttpFilter { Name = FilterNames.Fault, TypedConfig = Any.Pack(new HTTPFault()) };
        yield return new HttpFilter { Name = FilterNames.Router, TypedConfig = Any.Pack(new Router()) };
    }
}
