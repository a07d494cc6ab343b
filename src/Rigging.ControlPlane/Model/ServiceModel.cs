using System.Collections.Immutable;

namespace Rigging.ControlPlane.Model;

/// <summary>
/// A service in the mesh, from a Kubernetes Service or a ServiceEntry: its FQDN (reviews.default.svc.cluster.local),
/// ports, how its workloads are selected, and who may see it.
/// </summary>
public sealed record ServiceModel
{
    public required string Hostname { get; init; }

    public required string Namespace { get; init; }

    /// <summary>The resource's short name (reviews); for a ServiceEntry, its metadata name.</summary>
    public required string Name { get; init; }

    public required ImmutableArray<ServicePort> Ports { get; init; }

    /// <summary>Labels that select workload instances; null for services whose endpoints are listed (ServiceEntry endpoints).</summary>
    public ImmutableDictionary<string, string>? Selector { get; init; }

    /// <summary>Namespaces it is visible in: "*" (default), "." (own namespace) or names.</summary>
    public ImmutableArray<string> ExportTo { get; init; } = ["*"];

    /// <summary>True for a ServiceEntry with location MESH_EXTERNAL.</summary>
    public bool External { get; init; }

    /// <summary>How endpoints of a ServiceEntry are found (STATIC, DNS, NONE); Kubernetes services are STATIC (EDS).</summary>
    public string Resolution { get; init; } = "STATIC";

    /// <summary>Where the service was defined, for messages ("Service default/reviews").</summary>
    public string Source { get; init; } = "";

    public ServicePort? FindPort(int port)
    {
        foreach (var p in Ports)
        {
            if (p.Port == port) return p;
        }
        return null;
    }

    public bool VisibleFrom(string ns)
    {
        foreach (var e in ExportTo)
        {
            if (e == "*" || e == ns || (e == "." && ns == Namespace)) return true;
        }
        return false;
    }
}
