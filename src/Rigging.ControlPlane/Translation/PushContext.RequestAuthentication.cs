using Rigging.Api.Model;
using Rigging.Api.Security;
using Rigging.ControlPlane.Model;

namespace Rigging.ControlPlane.Translation;

public sealed partial class PushContext
{
    private Resource[]? _requestAuthentications;

    /// <summary>Every RequestAuthentication, by namespace then name (indexed on first use).</summary>
    public IReadOnlyList<Resource> RequestAuthentications => LazyInitializer.EnsureInitialized(ref _requestAuthentications, () =>
        [.. Resources.Where(r => r.Spec is RequestAuthentication)
            .OrderBy(r => r.Namespace, StringComparer.Ordinal)
            .ThenBy(r => r.Name, StringComparer.Ordinal)]);

    /// <summary>
    /// The RequestAuthentications that apply to a proxy's workload, as Istio selects them: in the root namespace
    /// mesh-wide (all workloads, or those its selector picks in any namespace), elsewhere in the workload's own
    /// namespace (all, or those its selector picks). Root-namespace ones come first (the list is ordered by
    /// namespace, then name). Policies with targetRef(s) attach to Gateway API resources and are left out.
    /// </summary>
    public IEnumerable<(Resource Resource, RequestAuthentication Policy)> RequestAuthenticationsFor(ProxyView proxy)
    {
        foreach (var resource in RequestAuthentications)
        {
            var policy = (RequestAuthentication)resource.Spec!;
            if (policy.TargetRef is not null || policy.TargetRefs is { Count: > 0 }) continue;
            if (resource.Namespace != Mesh.RootNamespace && resource.Namespace != proxy.Namespace) continue;
            if (policy.Selector?.MatchLabels is { Count: > 0 } labels && !proxy.Matches(labels)) continue;
            yield return (resource, policy);
        }
    }
}
