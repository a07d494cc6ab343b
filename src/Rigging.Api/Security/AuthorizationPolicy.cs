using Rigging.Api.Model;

namespace Rigging.Api.Security;

/// <summary>Spec of an AuthorizationPolicy: access control rules for workloads.</summary>
public sealed record AuthorizationPolicy
{
    public WorkloadSelector? Selector { get; init; }

    public PolicyTargetReference? TargetRef { get; init; }

    public IReadOnlyList<PolicyTargetReference>? TargetRefs { get; init; }

    public IReadOnlyList<Rule>? Rules { get; init; }

    public AuthorizationPolicyAction? Action { get; init; }

    /// <summary>Only with Action CUSTOM.</summary>
    public AuthorizationExtensionProvider? Provider { get; init; }
}
