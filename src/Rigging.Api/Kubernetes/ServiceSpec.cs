using Rigging.Api.Model;

namespace Rigging.Api.Kubernetes;

/// <summary>The parts of a Kubernetes Service spec the mesh reads.</summary>
[PartialModel]
public sealed record ServiceSpec
{
    public IReadOnlyDictionary<string, string>? Selector { get; init; }

    public IReadOnlyList<ServicePort>? Ports { get; init; }

    public string? Type { get; init; }

    public string? ClusterIP { get; init; }

    public IReadOnlyList<string>? ClusterIPs { get; init; }

    public string? ExternalName { get; init; }

    public IReadOnlyList<string>? IpFamilies { get; init; }

    public string? IpFamilyPolicy { get; init; }

    public string? SessionAffinity { get; init; }
}
