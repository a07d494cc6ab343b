using Rigging.Api.Model;
using System.Text.Json.Nodes;

namespace Rigging.Api.Networking;

/// <summary>Spec of an EnvoyFilter: patches applied to the generated Envoy configuration.</summary>
public sealed record EnvoyFilter
{
    /// <summary>Removed from Istio (use WorkloadSelector); kept only so old YAML binds and can be reported.</summary>
    public IReadOnlyDictionary<string, string>? WorkloadLabels { get; init; }

    /// <summary>Removed from Istio (use ConfigPatches); kept opaque only so old YAML binds and can be reported.</summary>
    public IReadOnlyList<JsonNode>? Filters { get; init; }

    public NetworkingWorkloadSelector? WorkloadSelector { get; init; }

    public IReadOnlyList<PolicyTargetReference>? TargetRefs { get; init; }

    public IReadOnlyList<EnvoyConfigObjectPatch>? ConfigPatches { get; init; }

    public int? Priority { get; init; }
}
