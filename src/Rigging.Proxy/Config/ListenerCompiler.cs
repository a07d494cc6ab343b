using System.Collections.Immutable;
using System.Net;
using Envoy.Config.Listener.V3;
using Envoy.Extensions.Filters.Network.HttpConnectionManager.V3;
using Envoy.Extensions.Filters.Network.TcpProxy.V3;
using Google.Protobuf;
using Rigging.Proxy.Listeners;
using Rigging.Proxy.Routing;
using Rigging.Proxy.Security;
using Rigging.Proxy.Security.Tls;
using Rigging.Xds.Protos;

namespace Rigging.Proxy.Config;

/// <summary>Listener (LDS) → <see cref="ListenerModel"/>: its address and its filter chains, compiled.</summary>
internal static class ListenerCompiler
{
    public const string HttpConnectionManagerName = "envoy.filters.network.http_connection_manager";
    public const string TcpProxyName = "envoy.filters.network.tcp_proxy";

    public static ListenerModel Compile(Listener listener)
    {
        var where = $"Listener {listener.Name}";
        var socket = listener.Address?.SocketAddress ?? throw new ConfigException($"{where}: address.socket_address is required");
        if (!IPAddress.TryParse(socket.Address, out var ip)) throw new ConfigException($"{where}: address {socket.Address} is not an IP address");
        if (socket.PortValue > 65535) throw new ConfigException($"{where}: port {socket.PortValue} must be 0-65535");
        var chains = ImmutableArray.CreateBuilder<FilterChainModel>(listener.FilterChains.Count);
        for (var i = 0; i < listener.FilterChains.Count; i++)
        {
            chains.Add(Chain(listener.FilterChains[i], $"{where}: filter_chains[{i}]"));
        }
        var fallback = listener.DefaultFilterChain is { } d ? Chain(d, $"{where}: default_filter_chain") : null;
        if (chains.Count == 0 && fallback is null) throw new ConfigException($"{where}: needs at least one filter chain");
        return new ListenerModel(listener.Name, new IPEndPoint(ip, (int)socket.PortValue), chains.MoveToImmutable(), fallback);
    }

    private static FilterChainModel Chain(FilterChain chain, string where)
    {
        var m = chain.FilterChainMatch;
        var match = m is null
            ? FilterChainMatchModel.Any
            : new FilterChainMatchModel((int?)m.DestinationPort, m.TransportProtocol, [.. m.ServerNames], [.. m.ApplicationProtocols]);
        var terminal = chain.Filters.LastOrDefault() ?? throw new ConfigException($"{where}: filters must not be empty");
        NetworkFilterModel filter = terminal.Name switch
        {
            HttpConnectionManagerName => Http(Unpack<HttpConnectionManager>(terminal, where), where),
            TcpProxyName => Tcp(Unpack<TcpProxy>(terminal, where), where) with { Rbac = Rigging.Proxy.Tcp.NetworkRbacFilter.CompileChain(chain.Filters, where) },
            _ => throw new ConfigException($"{where}: network filter {terminal.Name} is not supported (use {HttpConnectionManagerName} or {TcpProxyName})"),
        };
        return new FilterChainModel(string.IsNullOrEmpty(chain.Name) ? where : chain.Name, match, filter)
        {
            Tls = TlsContextCompiler.Downstream(chain.TransportSocket, where),
            Config = chain.ToByteString(),
        };
    }

    private static HttpConnectionManagerModel Http(HttpConnectionManager hcm, string where)
    {
        var filters = ImmutableArray.CreateBuilder<HttpFilterConfig>(hcm.HttpFilters.Count);
        foreach (var filter in hcm.HttpFilters)
        {
            if (filter.Disabled) continue;
            filters.Add(HttpFilterCompiler.Compile(filter, $"{where}: http_filters {filter.Name}"));
        }
        RouteTable? inline = hcm.RouteSpecifierCase == HttpConnectionManager.RouteSpecifierOneofCase.RouteConfig
            ? RouteCompiler.Compile(hcm.RouteConfig)
            : null;
        var rds = hcm.RouteSpecifierCase == HttpConnectionManager.RouteSpecifierOneofCase.Rds ? hcm.Rds.RouteConfigName : null;
        if (inline is null && string.IsNullOrEmpty(rds)) throw new ConfigException($"{where}: http_connection_manager needs rds or route_config");
        return new HttpConnectionManagerModel(hcm.StatPrefix, rds, inline, filters.MoveToImmutable())
        {
            UseRemoteAddress = hcm.UseRemoteAddress ?? false,
            ForwardClientCert = (ForwardClientCertMode)hcm.ForwardClientCertDetails,
            ClientCertDetails = ClientCertDetails(hcm.SetCurrentClientCertDetails),
        };
    }

    private static ClientCertDetails ClientCertDetails(HttpConnectionManager.Types.SetCurrentClientCertDetails? details)
    {
        if (details is null) return Security.ClientCertDetails.None;
        var set = Security.ClientCertDetails.None;
        if (details.Subject == true) set |= Security.ClientCertDetails.Subject;
        if (details.Cert) set |= Security.ClientCertDetails.Cert;
        if (details.Chain) set |= Security.ClientCertDetails.Chain;
        if (details.Dns) set |= Security.ClientCertDetails.Dns;
        if (details.Uri) set |= Security.ClientCertDetails.Uri;
        return set;
    }

    private static TcpProxyModel Tcp(TcpProxy tcp, string where)
    {
        var clusters = tcp.ClusterSpecifierCase switch
        {
            TcpProxy.ClusterSpecifierOneofCase.Cluster => WeightedClusterChoice.Single(tcp.Cluster),
            TcpProxy.ClusterSpecifierOneofCase.WeightedClusters => new WeightedClusterChoice([.. tcp.WeightedClusters.Clusters.Select(c => (c.Name, c.Weight))]),
            _ => throw new ConfigException($"{where}: tcp_proxy needs cluster or weighted_clusters"),
        };
        // Envoy's TCP idle timeout defaults to 1 hour.
        var idle = tcp.IdleTimeout?.ToTimeSpan() ?? TimeSpan.FromHours(1);
        return new TcpProxyModel(tcp.StatPrefix, clusters, idle);
    }

    internal static T Unpack<T>(Filter filter, string where) where T : class, Google.Protobuf.IMessage<T>, new() =>
        filter.TypedConfig is { } any && AnyPayload.TryUnpack<T>(any, out var value)
            ? value
            : throw new ConfigException($"{where}: typed_config of {filter.Name} must be a {AnyPayload.NameOf<T>()}");
}
