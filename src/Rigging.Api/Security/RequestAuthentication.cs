using Rigging.Api.Model;

namespace Rigging.Api.Security;

/// <summary>Spec of a RequestAuthentication: which request credentials (JWTs) a workload accepts.</summary>
public sealed record RequestAuthentication
{
    public WorkloadSelector? Selector { get; init; }

    public PolicyTargetReference? TargetRef { get; init; }

    public IReadOnlyList<PolicyTargetReference>? TargetRefs { get; init; }

    public IReadOnlyList<JwtRule>? JwtRules { get; init; }
}
