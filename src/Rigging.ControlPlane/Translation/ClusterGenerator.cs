using Envoy.Config.Cluster.V3;
using Envoy.Config.Core.V3;
using Envoy.Config.Endpoint.V3;
using Rigging.ControlPlane.Model;
using Rigging.ControlPlane.Translation.Security.Mtls;

namespace Rigging.ControlPlane.Translation;

/// <summary>
/// Clusters for one proxy: for every service it can see and every port, the default cluster and one per
/// DestinationRule subset (all EDS, named as Istio names them), plus the inbound cluster to its own application.
/// </summary>
internal static class ClusterGenerator
{
    public static IEnumerable<Cluster> Outbound(ProxyView proxy, PushContext push, IEnumerable<ServiceModel> services)
    {
        foreach (var service in services)
        {
            var rule = push.DestinationRuleFor(proxy, service);
            foreach (var port in service.Ports)
            {
                yield return ForClient(proxy, Eds(ClusterNames.Outbound(service.Hostname, port.Port), service, port,
                    TrafficPolicyTranslator.Merge(rule?.Rule.TrafficPolicy, null, port.Port), proxy, push));
                foreach (var subset in rule?.Rule.Subsets ?? [])
                {
                    if (subset?.Name is not { } name) continue;
                    yield return ForClient(proxy, Eds(ClusterNames.Outbound(service.Hostname, port.Port, name), service, port,
                        TrafficPolicyTranslator.Merge(rule!.Value.Rule.TrafficPolicy, subset.TrafficPolicy, port.Port), proxy, push));
                }
            }
        }
    }

    /// <summary>
    /// gRPC's xDS client knows round robin and ring hash through lb_policy, not LEAST_REQUEST (Istio's default), so
    /// proxyless clients get round robin there, as Istio's gRPC generator gives them.
    /// </summary>
    private static Cluster ForClient(ProxyView proxy, Cluster cluster)
    {
        if (proxy.Kind == ProxyKind.ProxylessGrpc && cluster.LbPolicy is Cluster.Types.LbPolicy.LeastRequest or Cluster.Types.LbPolicy.Random)
            cluster.LbPolicy = Cluster.Types.LbPolicy.RoundRobin;
        return cluster;
    }

    /// <summary>The cluster in front of the proxy's own application: a static endpoint at 127.0.0.1:appPort.</summary>
    public static Cluster Inbound(int port, int appPort, Protocol protocol)
    {
        var cluster = InboundCluster(port, appPort);
        ProtocolOptions.Apply(cluster, protocol);
        return cluster;
    }

    private static Cluster InboundCluster(int port, int appPort) => new()
    {
        Name = ClusterNames.Inbound(port),
        Type = Cluster.Types.DiscoveryType.Static,
        ConnectTimeout = Google.Protobuf.WellKnownTypes.Duration.FromTimeSpan(TimeSpan.FromSeconds(10)),
        LbPolicy = Cluster.Types.LbPolicy.RoundRobin,
        LoadAssignment = new ClusterLoadAssignment
        {
            ClusterName = ClusterNames.Inbound(port),
            Endpoints =
            {
                new LocalityLbEndpoints
                {
                    LbEndpoints = { new LbEndpoint { Endpoint = new Endpoint { Address = EndpointGenerator.Socket("127.0.0.1", appPort) } } },
                },
            },
        },
    };

    private static Cluster Eds(string name, ServiceModel service, ServicePort port, Api.Networking.TrafficPolicy? policy, ProxyView proxy, PushContext push)
    {
        var cluster = new Cluster
        {
            Name = name,
            Type = Cluster.Types.DiscoveryType.Eds,
            EdsClusterConfig = new Cluster.Types.EdsClusterConfig
            {
                ServiceName = name,
                EdsConfig = new ConfigSource { Ads = new AggregatedConfigSource() },
            },
        };
        TrafficPolicyTranslator.Apply(cluster, policy, push.Mesh.ConnectTimeout);
        ProtocolOptions.Apply(cluster, port.Protocol, policy?.ConnectionPool?.Http?.IdleTimeout?.Value);
        // Proxyless gRPC clients get no mesh certificates from us (Istio gives them TLS through certificate providers).
        if (proxy.Kind != ProxyKind.ProxylessGrpc) UpstreamTls.Apply(cluster, policy?.Tls, service, port, proxy, push);
        return cluster;
    }
}
