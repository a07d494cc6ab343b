using Rigging.Api.Model;
using Rigging.ControlPlane.Model;

namespace Rigging.ControlPlane.Translation;

public sealed partial class PushContext
{
    /// <summary>The resources of one kind ordered by namespace, then name (Istio's order when policies compete).</summary>
    private Resource[] OrderedOf<TSpec>() =>
        [.. Resources.Where(r => r.Spec is TSpec)
            .OrderBy(r => r.Namespace, StringComparer.Ordinal)
            .ThenBy(r => r.Name, StringComparer.Ordinal)];

    /// <summary>
    /// Whether a security policy (AuthorizationPolicy, RequestAuthentication) applies to a proxy's workload, as Istio
    /// selects them: in the root namespace mesh-wide (all workloads, or those its selector picks in any namespace),
    /// elsewhere in the workload's own namespace (all, or those its selector picks). Policies with targetRef(s)
    /// attach to Gateway API resources and waypoints, not to workloads, and never apply here.
    /// </summary>
    private bool AppliesToWorkload(Resource resource, WorkloadSelector? selector, bool targeted, ProxyView proxy) =>
        !targeted
        && (resource.Namespace == Mesh.RootNamespace || resource.Namespace == proxy.Namespace)
        && (selector?.MatchLabels is not { Count: > 0 } labels || proxy.Matches(labels));
}
