using Rigging.Api.Model;

namespace Rigging.Api.Kubernetes;

/// <summary>Labels and annotations of a pod template.</summary>
[PartialModel]
public sealed record TemplateMetadata
{
    public IReadOnlyDictionary<string, string>? Labels { get; init; }

    public IReadOnlyDictionary<string, string>? Annotations { get; init; }
}
