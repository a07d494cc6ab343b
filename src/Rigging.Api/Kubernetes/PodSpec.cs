using Rigging.Api.Model;

namespace Rigging.Api.Kubernetes;

/// <summary>The parts of a Kubernetes Pod spec the mesh reads.</summary>
[PartialModel]
public sealed record PodSpec
{
    public string? ServiceAccountName { get; init; }

    /// <summary>Deprecated alias of ServiceAccountName.</summary>
    public string? ServiceAccount { get; init; }

    public string? Hostname { get; init; }

    public string? Subdomain { get; init; }

    public string? NodeName { get; init; }

    public IReadOnlyList<Container>? Containers { get; init; }
}
