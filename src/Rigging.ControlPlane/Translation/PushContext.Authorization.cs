using Rigging.Api.Model;
using Rigging.Api.Security;
using Rigging.ControlPlane.Model;

namespace Rigging.ControlPlane.Translation;

public sealed partial class PushContext
{
    private Resource[]? _authorizationPolicies;

    /// <summary>Every AuthorizationPolicy, by namespace then name (indexed on first use).</summary>
    public IReadOnlyList<Resource> AuthorizationPolicies => LazyInitializer.EnsureInitialized(ref _authorizationPolicies, () =>
        [.. Resources.Where(r => r.Spec is AuthorizationPolicy)
            .OrderBy(r => r.Namespace, StringComparer.Ordinal)
            .ThenBy(r => r.Name, StringComparer.Ordinal)]);

    /// <summary>
    /// The AuthorizationPolicies that apply to a proxy's workload, as Istio selects them: in the root namespace
    /// mesh-wide (all workloads, or those its selector picks in any namespace), elsewhere in the workload's own
    /// namespace (all, or those its selector picks). Policies with targetRef(s) attach to Gateway API resources
    /// and waypoints, not to workloads, and are left out.
    /// </summary>
    public IEnumerable<(Resource Resource, AuthorizationPolicy Policy)> AuthorizationPoliciesFor(ProxyView proxy)
    {
        foreach (var resource in AuthorizationPolicies)
        {
            var policy = (AuthorizationPolicy)resource.Spec!;
            if (policy.TargetRef is not null || policy.TargetRefs is { Count: > 0 }) continue;
            if (resource.Namespace != Mesh.RootNamespace && resource.Namespace != proxy.Namespace) continue;
            if (policy.Selector?.MatchLabels is { Count: > 0 } labels && !proxy.Matches(labels)) continue;
            yield return (resource, policy);
        }
    }
}
