using Rigging.Api.Model;

namespace Rigging.Api.Kubernetes;

/// <summary>The parts of a pod container the mesh reads.</summary>
[PartialModel]
public sealed record Container
{
    public string? Name { get; init; }

    public string? Image { get; init; }

    public IReadOnlyList<ContainerPort>? Ports { get; init; }

    public IReadOnlyList<string>? Args { get; init; }

    public IReadOnlyList<string>? Command { get; init; }
}
