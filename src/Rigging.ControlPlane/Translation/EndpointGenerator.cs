using Envoy.Config.Core.V3;
using Envoy.Config.Endpoint.V3;
using Rigging.Api.Networking;
using Rigging.ControlPlane.Model;
using Rigging.ControlPlane.Translation.Security.Mtls;

namespace Rigging.ControlPlane.Translation;

/// <summary>
/// ClusterLoadAssignments for the EDS clusters: a service's instances (filtered by the subset's labels), each at
/// its proxy's inbound port when it has one (so traffic goes proxy to proxy), else at the service's target port.
/// </summary>
internal static class EndpointGenerator
{
    public static IEnumerable<ClusterLoadAssignment> Outbound(ProxyView proxy, PushContext push, IEnumerable<ServiceModel> services)
    {
        foreach (var service in services)
        {
            var rule = push.DestinationRuleFor(proxy, service);
            var instances = push.InstancesOf(service).ToList();
            // A DNS ServiceEntry without listed endpoints resolves its own host name.
            if (instances.Count == 0 && service.Resolution is "DNS" or "DNS_ROUND_ROBIN" && !service.Hostname.Contains('*'))
                instances.Add(new WorkloadInstance { Name = service.Hostname, Namespace = service.Namespace, Address = service.Hostname });
            foreach (var port in service.Ports)
            {
                yield return Assignment(ClusterNames.Outbound(service.Hostname, port.Port), instances, port, null, push);
                foreach (var subset in rule?.Rule.Subsets ?? [])
                {
                    if (subset?.Name is not { } name) continue;
                    yield return Assignment(ClusterNames.Outbound(service.Hostname, port.Port, name), instances, port, subset, push);
                }
            }
        }
    }

    private static ClusterLoadAssignment Assignment(string cluster, List<WorkloadInstance> instances, ServicePort port, Subset? subset, PushContext push)
    {
        var byLocality = new SortedDictionary<string, LocalityLbEndpoints>(StringComparer.Ordinal);
        foreach (var instance in instances)
        {
            if (subset?.Labels is { } labels && !instance.Matches(labels)) continue;
            if (!byLocality.TryGetValue(instance.Locality, out var group))
            {
                group = new LocalityLbEndpoints { Locality = Locality(instance.Locality) };
                byLocality[instance.Locality] = group;
            }
            var endpoint = new LbEndpoint
            {
                Endpoint = new Endpoint { Address = Socket(instance.Address, PortFor(instance, port)) },
                HealthStatus = HealthStatus.Healthy,
                LoadBalancingWeight = instance.Weight,
            };
            if (EndpointMetadata.For(instance, TargetPort(instance, port), push) is { } metadata) endpoint.Metadata = metadata;
            group.LbEndpoints.Add(endpoint);
        }
        var assignment = new ClusterLoadAssignment { ClusterName = cluster };
        foreach (var group in byLocality.Values)
        {
            // gRPC's xDS client drops localities without a weight; Istio weighs each by its endpoints.
            group.LoadBalancingWeight = (uint)group.LbEndpoints.Sum(e => e.LoadBalancingWeight ?? 1);
            assignment.Endpoints.Add(group);
        }
        return assignment;
    }

    private static int PortFor(WorkloadInstance instance, ServicePort port) => instance.InboundPort ?? TargetPort(instance, port);

    /// <summary>The application's port (what PeerAuthentication portLevelMtls keys on).</summary>
    private static int TargetPort(WorkloadInstance instance, ServicePort port)
    {
        if (instance.Ports.TryGetValue(port.Name, out var named)) return named;
        if (port.TargetPortName is { } targetName && instance.Ports.TryGetValue(targetName, out var byTarget)) return byTarget;
        return port.TargetPort;
    }

    private static Envoy.Config.Core.V3.Locality Locality(string locality)
    {
        var parts = locality.Split('/');
        return new Envoy.Config.Core.V3.Locality
        {
            Region = parts.Length > 0 ? parts[0] : "",
            Zone = parts.Length > 1 ? parts[1] : "",
            SubZone = parts.Length > 2 ? parts[2] : "",
        };
    }

    public static Address Socket(string host, int port) => new() { SocketAddress = new SocketAddress { Address = host, PortValue = (uint)port } };
}
