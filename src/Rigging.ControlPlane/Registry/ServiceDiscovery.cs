using System.Collections.Immutable;
using Rigging.Api.Kubernetes;
using Rigging.Api.Model;
using Rigging.Api.Networking;
using Rigging.ControlPlane.Model;

namespace Rigging.ControlPlane.Registry;

/// <summary>
/// Turns configuration resources into the registry's services and workload instances: Kubernetes Services
/// (selector, ports with Istio's protocol rules), ServiceEntries (each host a service; listed endpoints become
/// instances) and WorkloadEntries.
/// </summary>
public static class ServiceDiscovery
{
    public static IEnumerable<ServiceModel> Services(IEnumerable<Resource> resources)
    {
        foreach (var resource in resources)
        {
            switch (resource.Spec)
            {
                case ServiceSpec service when resource.Kind.Kind == "Service":
                    yield return FromKubernetes(resource, service);
                    break;
                case ServiceEntry entry:
                    foreach (var model in FromServiceEntry(resource, entry)) yield return model;
                    break;
            }
        }
    }

    public static IEnumerable<WorkloadInstance> Instances(IEnumerable<Resource> resources)
    {
        foreach (var resource in resources)
        {
            switch (resource.Spec)
            {
                case WorkloadEntry entry when resource.Kind.Kind == "WorkloadEntry":
                    yield return Instance(resource.Name, resource.Namespace, entry);
                    break;
                case ServiceEntry serviceEntry when serviceEntry.Endpoints is { } endpoints:
                    for (var i = 0; i < endpoints.Count; i++)
                    {
                        if (endpoints[i] is not { Address: not null } e) continue;
                        // ServiceEntry endpoints belong to that entry alone: the label ties them to its services.
                        yield return Instance($"{resource.Name}-{i}", resource.Namespace, e) with
                        {
                            Labels = (e.Labels ?? new Dictionary<string, string>()).ToImmutableDictionary().SetItem(ServiceEntryLabel, resource.Name),
                        };
                    }
                    break;
            }
        }
    }

    /// <summary>Ties a ServiceEntry's listed endpoints to its services (an internal label, never user-visible).</summary>
    public const string ServiceEntryLabel = "rigging.internal/service-entry";

    private static ServiceModel FromKubernetes(Resource resource, ServiceSpec spec)
    {
        var ports = ImmutableArray.CreateBuilder<Model.ServicePort>();
        foreach (var p in spec.Ports ?? [])
        {
            if (p?.Port is not { } number) continue;
            var target = p.TargetPort?.Number ?? number;
            ports.Add(new Model.ServicePort(p.Name ?? "", number, Protocols.FromPort(p.AppProtocol, p.Name), target, p.TargetPort?.Name));
        }
        return new ServiceModel
        {
            Hostname = MeshDomain.ServiceHost(resource.Name, resource.Namespace),
            Namespace = resource.Namespace,
            Name = resource.Name,
            Ports = ports.ToImmutable(),
            Selector = spec.Selector?.ToImmutableDictionary(),
            Source = resource.DisplayName,
        };
    }

    private static IEnumerable<ServiceModel> FromServiceEntry(Resource resource, ServiceEntry entry)
    {
        var ports = ImmutableArray.CreateBuilder<Model.ServicePort>();
        foreach (var p in entry.Ports ?? [])
        {
            if (p?.Number is not { } number) continue;
            ports.Add(new Model.ServicePort(p.Name ?? "", (int)number, Protocols.Parse(p.Protocol), (int)(p.TargetPort ?? number)));
        }
        var selector = entry.WorkloadSelector?.Labels is { } labels
            ? labels.ToImmutableDictionary()
            : ImmutableDictionary<string, string>.Empty.Add(ServiceEntryLabel, resource.Name);
        foreach (var host in entry.Hosts ?? [])
        {
            if (host is null) continue;
            yield return new ServiceModel
            {
                Hostname = host,
                Namespace = resource.Namespace,
                Name = resource.Name,
                Ports = ports.ToImmutable(),
                Selector = selector,
                ExportTo = entry.ExportTo is { Count: > 0 } export ? [.. export] : ["*"],
                External = entry.Location == ServiceEntryLocation.MESH_EXTERNAL,
                Resolution = (entry.Resolution ?? ServiceEntryResolution.NONE).ToString(),
                Source = resource.DisplayName,
            };
        }
    }

    private static WorkloadInstance Instance(string name, string ns, WorkloadEntry entry) => new()
    {
        Name = name,
        Namespace = ns,
        Address = entry.Address ?? "",
        Labels = (entry.Labels ?? new Dictionary<string, string>()).ToImmutableDictionary(),
        ServiceAccount = entry.ServiceAccount ?? "default",
        Ports = (entry.Ports ?? new Dictionary<string, uint>()).ToImmutableDictionary(kv => kv.Key, kv => (int)kv.Value),
        Weight = entry.Weight is > 0 ? entry.Weight.Value : 1,
        Locality = entry.Locality ?? "",
    };
}
