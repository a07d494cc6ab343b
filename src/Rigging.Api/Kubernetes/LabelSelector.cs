using Rigging.Api.Model;

namespace Rigging.Api.Kubernetes;

/// <summary>A Kubernetes label selector (matchLabels only).</summary>
[PartialModel]
public sealed record LabelSelector
{
    public IReadOnlyDictionary<string, string>? MatchLabels { get; init; }
}
