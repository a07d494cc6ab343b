using Rigging.Api.Model;
using Rigging.Api.Security;
using Rigging.ControlPlane.Model;

namespace Rigging.ControlPlane.Translation;

public sealed partial class PushContext
{
    private Resource[]? _requestAuthentications;

    /// <summary>Every RequestAuthentication, by namespace then name (indexed on first use).</summary>
    public IReadOnlyList<Resource> RequestAuthentications =>
        LazyInitializer.EnsureInitialized(ref _requestAuthentications, OrderedOf<RequestAuthentication>);

    /// <summary>
    /// The RequestAuthentications that apply to a proxy's workload (see <see cref="AppliesToWorkload"/>); root-namespace
    /// ones come first, as the list is ordered by namespace, then name.
    /// </summary>
    public IEnumerable<(Resource Resource, RequestAuthentication Policy)> RequestAuthenticationsFor(ProxyView proxy)
    {
        foreach (var resource in RequestAuthentications)
        {
            var policy = (RequestAuthentication)resource.Spec!;
            if (AppliesToWorkload(resource, policy.Selector, policy.TargetRef is not null || policy.TargetRefs is { Count: > 0 }, proxy))
                yield return (resource, policy);
        }
    }
}
