namespace Rigging.Api.Model;

/// <summary>The part of a resource's Kubernetes metadata a mesh reads.</summary>
[PartialModel]
public sealed record ObjectMeta
{
    public string? Name { get; init; }
    public string? Namespace { get; init; }
    public IReadOnlyDictionary<string, string>? Labels { get; init; }
    public IReadOnlyDictionary<string, string>? Annotations { get; init; }
}
