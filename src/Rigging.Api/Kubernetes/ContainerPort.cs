using Rigging.Api.Model;

namespace Rigging.Api.Kubernetes;

/// <summary>A port a container declares.</summary>
[PartialModel]
public sealed record ContainerPort
{
    public string? Name { get; init; }

    /// <summary>The port number; named Number because a member may not share its record's name.</summary>
    [FieldName("containerPort")]
    public int? Number { get; init; }

    public string? Protocol { get; init; }
}
