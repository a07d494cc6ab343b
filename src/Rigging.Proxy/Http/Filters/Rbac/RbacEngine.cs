using System.Collections.Immutable;

namespace Rigging.Proxy.Http.Filters.Rbac;

/// <summary>
/// A compiled envoy.config.rbac.v3.RBAC: an action and named policies (sorted by name, as Envoy's map is). A policy
/// matches when any of its permissions and any of its principals match. ALLOW allows what some policy matches,
/// DENY allows what none matches, LOG allows everything (and reports whether a policy matched).
/// </summary>
public sealed class RbacEngine(RbacAction action, ImmutableArray<RbacPolicy> policies)
{
    public RbacAction Action { get; } = action;

    public ImmutableArray<RbacPolicy> Policies { get; } = policies;

    /// <summary>Whether the request may go on; <paramref name="matched"/> names the first matching policy.</summary>
    public bool Allows(in RbacInput input, out string? matched)
    {
        matched = null;
        foreach (var policy in Policies)
        {
            if (policy.Matches(input))
            {
                matched = policy.Name;
                break;
            }
        }
        return Action switch
        {
            RbacAction.Allow => matched is not null,
            RbacAction.Deny => matched is null,
            _ => true,
        };
    }
}

/// <summary>One named policy: permissions (what) and principals (who), each an or.</summary>
public sealed class RbacPolicy(string name, ImmutableArray<RbacMatcher> permissions, ImmutableArray<RbacMatcher> principals)
{
    public string Name { get; } = name;

    public bool Matches(in RbacInput input) => AnyMatches(permissions, input) && AnyMatches(principals, input);

    private static bool AnyMatches(ImmutableArray<RbacMatcher> matchers, in RbacInput input)
    {
        foreach (var m in matchers)
        {
            if (m.Matches(input)) return true;
        }
        return false;
    }
}

public enum RbacAction
{
    Allow,
    Deny,
    Log,
}
