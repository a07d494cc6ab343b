using Envoy.Config.Route.V3;
using Google.Protobuf;
using Rigging.Api.Networking;
using Rigging.ControlPlane.Model;
using Rigging.ControlPlane.Registry;
using Rigging.ControlPlane.Translation.Security;

namespace Rigging.ControlPlane.Translation;

/// <summary>
/// A gateway proxy's listeners: for each Gateway whose selector picks the proxy, one HTTP listener per server
/// port (route table "http.PORT", as Istio names it) whose virtual hosts come from the VirtualServices bound to
/// that Gateway, restricted to the server's hosts. TLS servers are the security issue's; plain HTTP here.
/// </summary>
internal static class GatewayGenerator
{
    public static IEnumerable<IMessage> Generate(ProxyView proxy, PushContext push)
    {
        var tables = new SortedDictionary<int, (RouteConfiguration Table, HashSet<string> Used)>();
        foreach (var resource in push.Gateways)
        {
            var gateway = (Gateway)resource.Spec!;
            if (gateway.Selector is not { Count: > 0 } selector || !proxy.Matches(selector)) continue;
            var gatewayName = $"{resource.Namespace}/{resource.Name}";
            foreach (var server in gateway.Servers ?? [])
            {
                if (server?.Port?.Number is not { } number || !Protocols.Parse(server.Port.Protocol).IsHttp()) continue;
                var port = (int)number;
                if (!tables.TryGetValue(port, out var entry))
                {
                    entry = (new RouteConfiguration { Name = $"http.{port}", ValidateClusters = false }, new HashSet<string>(StringComparer.OrdinalIgnoreCase));
                    tables[port] = entry;
                }
                AddVirtualHosts(entry.Table, entry.Used, server, gatewayName, port, proxy, push);
            }
        }
        foreach (var (port, (table, _)) in tables)
        {
            yield return table;
            yield return ListenerGenerator.Gateway(port, table.Name, PolicyFilters.Gateway(proxy, push));
        }
    }

    private static void AddVirtualHosts(RouteConfiguration table, HashSet<string> used, Server server, string gatewayName, int port, ProxyView proxy, PushContext push)
    {
        var serverHosts = (server.Hosts ?? []).OfType<string>().Select(h => h.Contains('/') ? h[(h.IndexOf('/') + 1)..] : h).ToList();
        foreach (var resource in push.VirtualServices)
        {
            var vs = (VirtualService)resource.Spec!;
            if (!VirtualHostBuilder.AppliesTo(vs.Gateways, resource.Namespace, gatewayName)) continue;
            var domains = (vs.Hosts ?? []).OfType<string>().Where(h => serverHosts.Any(s => HostsIntersect(s, h))).ToList();
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

    private static bool HostsIntersect(string server, string vsHost) =>
        server == "*" || vsHost == "*" || string.Equals(server, vsHost, StringComparison.OrdinalIgnoreCase)
        || PushContext.Covers(server, vsHost) || PushContext.Covers(vsHost, server);
}
