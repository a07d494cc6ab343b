using Rigging.Api.Model;

namespace Rigging.Api.Kubernetes;

/// <summary>The pod template of a workload controller.</summary>
[PartialModel]
public sealed record PodTemplateSpec
{
    public TemplateMetadata? Metadata { get; init; }

    public PodSpec? Spec { get; init; }
}
