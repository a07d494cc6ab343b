using Rigging.Api.Model;
using Rigging.Api.Security;
using Rigging.ControlPlane.Model;

namespace Rigging.ControlPlane.Translation;

public sealed partial class PushContext
{
    private Resource[]? _authorizationPolicies;

    /// <summary>Every AuthorizationPolicy, by namespace then name (indexed on first use).</summary>
    public IReadOnlyList<Resource> AuthorizationPolicies =>
        LazyInitializer.EnsureInitialized(ref _authorizationPolicies, OrderedOf<AuthorizationPolicy>);

    /// <summary>The AuthorizationPolicies that apply to a proxy's workload (see <see cref="AppliesToWorkload"/>).</summary>
    public IEnumerable<(Resource Resource, AuthorizationPolicy Policy)> AuthorizationPoliciesFor(ProxyView proxy)
    {
        foreach (var resource in AuthorizationPolicies)
        {
            var policy = (AuthorizationPolicy)resource.Spec!;
            if (AppliesToWorkload(resource, policy.Selector, policy.TargetRef is not null || policy.TargetRefs is { Count: > 0 }, proxy))
                yield return (resource, policy);
        }
    }
}
