using Envoy.Config.Core.V3;
using Envoy.Config.Listener.V3;
using Envoy.Config.Route.V3;
using Envoy.Extensions.Filters.Network.HttpConnectionManager.V3;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Rigging.ControlPlane.Model;
using Rigging.ControlPlane.Translation.Outbound;

namespace Rigging.ControlPlane.Translation;

/// <summary>
/// Translation's one entry point, pure as Istio's generators are: (proxy, push context) → every xDS resource
/// that proxy needs. Sidecars get listeners, route tables, clusters and endpoints, plus Istio's fallthrough for
/// unknown destinations (PassthroughCluster/BlackHoleCluster and the allow_any/block_all virtual host); proxyless
/// gRPC clients get API listeners named host:port with their route tables, clusters and endpoints.
/// </summary>
public static class ProxyGenerator
{
    public static IReadOnlyList<IMessage> Generate(ProxyView proxy, PushContext push)
    {
        var services = Visibility.ServicesFor(proxy, push).ToList();
        var resources = new List<IMessage>();
        resources.AddRange(ClusterGenerator.Outbound(proxy, push, services));
        resources.AddRange(EndpointGenerator.Outbound(proxy, push, services));
        switch (proxy.Kind)
        {
            case ProxyKind.ProxylessGrpc:
                resources.AddRange(Proxyless(proxy, push, services));
                break;
            case ProxyKind.Gateway:
                resources.Add(FallthroughClusters.BlackHole(push.Mesh));
                resources.AddRange(GatewayGenerator.Generate(proxy, push));
                break;
            default:
                resources.AddRange(Sidecar(proxy, push, services));
                break;
        }
        MissingClusters.Replace(resources, push.Issues);
        return resources;
    }

    private static IEnumerable<IMessage> Sidecar(ProxyView proxy, PushContext push, List<ServiceModel> services)
    {
        var outboundPort = proxy.OutboundPort ?? push.Mesh.DefaultOutboundPort;
        var routeName = outboundPort.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var table = new RouteConfiguration { Name = routeName, ValidateClusters = false };
        var used = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var service in services)
        {
            foreach (var port in service.Ports) table.VirtualHosts.Add(VirtualHostBuilder.Build(service, port, proxy, push, "mesh", used));
        }
        // Authorities no service claims: passed through (ALLOW_ANY) or refused (REGISTRY_ONLY).
        table.VirtualHosts.Add(CatchAllVirtualHost.For(OutboundPolicy.For(proxy, push)));
        yield return table;
        yield return FallthroughClusters.Passthrough(push.Mesh);
        yield return FallthroughClusters.BlackHole(push.Mesh);
        yield return ListenerGenerator.Outbound(outboundPort, routeName);

        foreach (var resource in SidecarInbound.Generate(proxy, push)) yield return resource;
    }

    /// <summary>gRPC's xDS client looks for a Listener named host:port holding an HCM in api_listener.</summary>
    private static IEnumerable<IMessage> Proxyless(ProxyView proxy, PushContext push, List<ServiceModel> services)
    {
        foreach (var service in services)
        {
            foreach (var port in service.Ports)
            {
                if (!port.Protocol.MayBeHttp()) continue;
                var name = $"{service.Hostname}:{port.Port}";
                var used = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
                var vhost = VirtualHostBuilder.Build(service, port, proxy, push, "mesh", used);
                vhost.Domains.Add(name);
                yield return new RouteConfiguration { Name = name, VirtualHosts = { vhost } };
                var hcm = new HttpConnectionManager
                {
                    Rds = new Rds { RouteConfigName = name, ConfigSource = new ConfigSource { Ads = new AggregatedConfigSource() } },
                    HttpFilters = { ListenerGenerator.HttpFilters() },
                };
                yield return new Listener { Name = name, ApiListener = new ApiListener { ApiListener_ = Any.Pack(hcm) } };
            }
        }
    }
}
