using Envoy.Config.Listener.V3;
using FilterChainMatch = Envoy.Config.Listener.V3.FilterChainMatch;
using Envoy.Config.Route.V3;
using Envoy.Extensions.Filters.Network.HttpConnectionManager.V3;
using Envoy.Extensions.TransportSockets.Tls.V3;
using Google.Protobuf;
using Rigging.Api.Model;
using Rigging.Api.Networking;
using Rigging.ControlPlane.Model;
using Rigging.ControlPlane.Translation.Security;
using Rigging.ControlPlane.Translation.Security.GatewayTls;
using Rigging.ControlPlane.Translation.Security.Mtls;

namespace Rigging.ControlPlane.Translation;

/// <summary>
/// A gateway proxy's listeners: for each Gateway whose selector picks the proxy (in Istio's order: name, then
/// namespace, as when creation times tie), one listener per server port. Servers sharing a port follow Istio's
/// merge rules (<see cref="GatewayServerMerge"/>): a refused server is reported and left out. Plain HTTP servers
/// share the route table "http.PORT" (an httpsRedirect server's virtual hosts require TLS, so they answer with a
/// redirect to https); each HTTPS server is a filter chain matched by its hosts as SNI, with its own TLS
/// (<see cref="GatewayServerTls"/>) and route table "https.PORT.PORTNAME.GATEWAY.NS"; a PASSTHROUGH server is
/// one tcp_proxy chain per VirtualService tls route (<see cref="PassthroughChains"/>); any other TCP or TLS server
/// terminates its tls (if set) and sends the bytes by the VirtualService tcp route (<see cref="TcpServerRoute"/>).
/// Only the credentials this gateway's servers name go into its snapshot, as SDS Secrets.
/// </summary>
internal static class GatewayGenerator
{
    public static IEnumerable<IMessage> Generate(ProxyView proxy, PushContext push)
    {
        var ports = new SortedDictionary<int, PortState>();
        var secrets = new SortedDictionary<string, Secret>(StringComparer.Ordinal);
        var merge = new GatewayServerMerge();
        List<HttpFilter> policy = [.. PolicyFilters.Gateway(proxy, push)];
        foreach (var resource in SelectedGateways(proxy, push))
        {
            var gateway = (Gateway)resource.Spec!;
            var gatewayName = $"{resource.Namespace}/{resource.Name}";
            var servers = gateway.Servers ?? [];
            for (var i = 0; i < servers.Count; i++)
            {
                if (servers[i] is not { Port.Number: { } number } server) continue;
                var port = (int)number;
                if (!ports.TryGetValue(port, out var state)) ports[port] = state = new PortState();
                var where = $"{resource.DisplayName}: spec.servers[{i}]";
                // A server's protocol is required; one Istio does not know is served as TCP (gateways do not sniff).
                var protocol = Protocols.Parse(server.Port.Protocol) is var parsed && parsed == Protocol.Auto ? Protocol.Tcp : parsed;
                var hosts = GatewayHosts.Of(server.Hosts);
                if (merge.Admit(server, port, protocol, hosts, where) is { } refusal)
                {
                    push.Issues[$"gateway-merge/{where}"] = $"{where}: {refusal}; the server is not served";
                    continue;
                }
                if (protocol.IsHttp())
                {
                    state.Http ??= (new RouteConfiguration { Name = $"http.{port}", ValidateClusters = false }, new HashSet<string>(StringComparer.OrdinalIgnoreCase));
                    var before = state.Http.Value.Table.VirtualHosts.Count;
                    AddVirtualHosts(state.Http.Value.Table, state.Http.Value.Used, hosts, gatewayName, port, proxy, push);
                    if (server.Tls?.HttpsRedirect is true)
                    {
                        for (var v = before; v < state.Http.Value.Table.VirtualHosts.Count; v++)
                            state.Http.Value.Table.VirtualHosts[v].RequireTls = VirtualHost.Types.TlsRequirementType.All;
                    }
                }
                else if (server.Tls?.Mode is ServerTlsMode.PASSTHROUGH or ServerTlsMode.AUTO_PASSTHROUGH)
                {
                    state.Chains.AddRange(PassthroughChains.Build(hosts, gatewayName, port, state.PassthroughSni, push));
                }
                else if (protocol == Protocol.Https && server.Tls is { } tls)
                {
                    var (context, needed, problem) = GatewayServerTls.Build(tls, push.Credentials);
                    if (context is null)
                    {
                        push.Issues[$"gateway-tls/{where}"] = $"{where}.tls: {problem}; the server is not served";
                        continue;
                    }
                    foreach (var secret in needed) secrets[secret.Name] = secret;
                    var table = new RouteConfiguration { Name = $"https.{port}.{server.Port.Name}.{resource.Name}.{resource.Namespace}", ValidateClusters = false };
                    AddVirtualHosts(table, new HashSet<string>(StringComparer.OrdinalIgnoreCase), hosts, gatewayName, port, proxy, push);
                    state.Tables.Add(table);
                    var chain = new FilterChain
                    {
                        Name = $"{where} https",
                        FilterChainMatch = new FilterChainMatch(),
                        TransportSocket = TlsContexts.Socket(context),
                        Filters = { ListenerGenerator.GatewayHttp(port, table.Name, policy) },
                    };
                    chain.FilterChainMatch.ServerNames.AddRange(GatewayHosts.ServerNames(hosts));
                    state.Chains.Add(chain);
                }
                else if (protocol != Protocol.Https && TcpServerRoute.Find(hosts, gatewayName, port, push) is { } tcpProxy)
                {
                    // Istio: a TCP/TLS server that is not passthrough terminates its tls (when set) and routes by tcp rules.
                    var chain = new FilterChain { Name = $"{where} tcp", FilterChainMatch = new FilterChainMatch(), Filters = { tcpProxy } };
                    if (server.Tls is { } terminated)
                    {
                        var (context, needed, problem) = GatewayServerTls.Build(terminated, push.Credentials, tcp: true);
                        if (context is null)
                        {
                            push.Issues[$"gateway-tls/{where}"] = $"{where}.tls: {problem}; the server is not served";
                            continue;
                        }
                        foreach (var secret in needed) secrets[secret.Name] = secret;
                        chain.TransportSocket = TlsContexts.Socket(context);
                        chain.FilterChainMatch.ServerNames.AddRange(GatewayHosts.ServerNames(hosts));
                    }
                    state.Chains.Add(chain);
                }
            }
        }
        foreach (var secret in secrets.Values) yield return secret;
        foreach (var (port, state) in ports)
        {
            foreach (var table in state.Tables) yield return table;
            if (state.Http is { } http)
            {
                yield return http.Table;
                // Plain HTTP last: the TLS chains match by SNI first.
                state.Chains.Add(new FilterChain { Filters = { ListenerGenerator.GatewayHttp(port, http.Table.Name, policy) } });
            }
            if (state.Chains.Count > 0) yield return ListenerGenerator.Gateway(port, state.Chains);
        }
    }

    private sealed class PortState
    {
        public (RouteConfiguration Table, HashSet<string> Used)? Http { get; set; }

        public List<RouteConfiguration> Tables { get; } = [];

        public List<FilterChain> Chains { get; } = [];

        /// <summary>SNI hosts the port's PASSTHROUGH tls routes already claimed.</summary>
        public HashSet<string> PassthroughSni { get; } = new(StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>The Gateways whose selector picks this proxy, ordered by name then namespace (Istio's tie order).</summary>
    private static IEnumerable<Resource> SelectedGateways(ProxyView proxy, PushContext push) => push.Gateways
        .Where(r => r.Spec is Gateway { Selector: { Count: > 0 } selector } && proxy.Matches(selector))
        .OrderBy(r => r.Name, StringComparer.Ordinal)
        .ThenBy(r => r.Namespace, StringComparer.Ordinal);

    private static void AddVirtualHosts(RouteConfiguration table, HashSet<string> used, List<string> serverHosts, string gatewayName, int port, ProxyView proxy, PushContext push)
    {
        foreach (var resource in push.VirtualServicesFor(gatewayName).All)
        {
            var vs = (VirtualService)resource.Spec!;
            var domains = (vs.Hosts ?? []).OfType<string>().Where(h => serverHosts.Any(s => GatewayHosts.Intersect(s, h))).ToList();
            var fresh = domains.Where(used.Add).ToList();
            if (fresh.Count == 0) continue;
            var vhost = new VirtualHost { Name = $"{string.Join(',', fresh)}:{port}" };
            foreach (var domain in fresh)
            {
                vhost.Domains.Add(domain);
                if (domain != "*") vhost.Domains.Add($"{domain}:{port}");
            }
            var context = new RouteContext(proxy, push, port, gatewayName);
            vhost.Routes.AddRange(RouteTranslator.Translate(resource, vs, context));
            table.VirtualHosts.Add(vhost);
        }
    }
}
