using Envoy.Config.Cluster.V3;
using Envoy.Config.Core.V3;
using Envoy.Config.Listener.V3;
using Envoy.Config.Route.V3;
using Envoy.Extensions.Filters.Network.TcpProxy.V3;
using Google.Protobuf.WellKnownTypes;

namespace Rigging.Proxy.Tests.Infrastructure;

/// <summary>Builders for the wire tests: upstream HTTP/2, retries, mirrors, virtual hosts by authority, TCP and TLS chains.</summary>
internal static partial class EnvoyConfig
{
    /// <summary>An EDS cluster that speaks HTTP/2 (h2c) to its endpoints: http2_protocol_options.</summary>
    public static Cluster Http2Cluster(string name)
    {
        var cluster = EdsCluster(name);
        cluster.Http2ProtocolOptions = new Http2ProtocolOptions();
        return cluster;
    }

    public static Route WithRetries(this Route route, string retryOn, uint retries)
    {
        route.Route_.RetryPolicy = new RetryPolicy { RetryOn = retryOn, NumRetries = retries };
        return route;
    }

    public static Route WithMirror(this Route route, string cluster)
    {
        route.Route_.RequestMirrorPolicies.Add(new RouteAction.Types.RequestMirrorPolicy { Cluster = cluster });
        return route;
    }

    /// <summary>One virtual host per (domain, cluster), each routing "/" to its cluster.</summary>
    public static RouteConfiguration RoutesByAuthority(string name, params (string Domain, string Cluster)[] hosts)
    {
        var config = new RouteConfiguration { Name = name };
        foreach (var (domain, cluster) in hosts)
            config.VirtualHosts.Add(new VirtualHost { Name = domain, Domains = { domain }, Routes = { Prefix("/", cluster) } });
        return config;
    }

    /// <summary>A TCP proxy listener over weighted clusters with an idle timeout.</summary>
    public static Listener WeightedTcpListener(string name, int port, TimeSpan? idle, params (string Cluster, uint Weight)[] clusters)
    {
        var weighted = new TcpProxy.Types.WeightedCluster();
        foreach (var (cluster, weight) in clusters) weighted.Clusters.Add(new TcpProxy.Types.WeightedCluster.Types.ClusterWeight { Name = cluster, Weight = weight });
        var tcp = new TcpProxy { StatPrefix = name, WeightedClusters = weighted };
        if (idle is { } timeout) tcp.IdleTimeout = Duration.FromTimeSpan(timeout);
        return new Listener
        {
            Name = name,
            Address = Socket("127.0.0.1", port),
            FilterChains = { new FilterChain { Filters = { new Filter { Name = "envoy.filters.network.tcp_proxy", TypedConfig = Any.Pack(tcp) } } } },
        };
    }

    /// <summary>TLS passthrough: one chain per SNI name (transport_protocol "tls"), each TCP-proxied to its cluster.</summary>
    public static Listener SniListener(string name, int port, params (string ServerName, string Cluster)[] routes)
    {
        var listener = new Listener { Name = name, Address = Socket("127.0.0.1", port) };
        foreach (var (serverName, cluster) in routes)
        {
            listener.FilterChains.Add(new FilterChain
            {
                Name = serverName,
                FilterChainMatch = new FilterChainMatch { TransportProtocol = "tls", ServerNames = { serverName } },
                Filters = { new Filter { Name = "envoy.filters.network.tcp_proxy", TypedConfig = Any.Pack(new TcpProxy { StatPrefix = serverName, Cluster = cluster }) } },
            });
        }
        return listener;
    }
}
