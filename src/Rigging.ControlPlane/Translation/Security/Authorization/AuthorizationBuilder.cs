using Envoy.Config.Rbac.V3;
using Rigging.Api.Model;
using Rigging.Api.Security;

namespace Rigging.ControlPlane.Translation.Security.Authorization;

/// <summary>
/// The RBAC rules of the policies of one action, as Istio builds them: one Envoy policy per rule, named
/// ns[NS]-policy[NAME]-rule[I] (CUSTOM's prefixed istio-ext-authz-PROVIDER-); policies with the istio.io/dry-run
/// annotation go to shadow rules; a policy without rules becomes a policy that never matches (so an ALLOW policy
/// without rules denies everything). Rules that cannot be expressed are skipped and reported.
/// </summary>
internal static class AuthorizationBuilder
{
    public const string DryRunAnnotation = "istio.io/dry-run";
    public const string ExtAuthzPrefix = "istio-ext-authz";

    public static readonly Policy MatchNever = new()
    {
        Permissions = { new Permission { NotRule = new Permission { Any = true } } },
        Principals = { new Principal { NotId = new Principal { Any = true } } },
    };

    /// <summary>Enforced and dry-run rules; either is null when no policy of that kind exists.</summary>
    public static (RBAC? Rules, RBAC? Shadow) Build(IEnumerable<Resource> policies, RBAC.Types.Action action, bool forTcp,
        Func<uint, uint> port, PushContext push, string? provider = null)
    {
        RBAC? rules = null, shadow = null;
        foreach (var resource in policies)
        {
            var spec = (AuthorizationPolicy)resource.Spec!;
            var target = IsDryRun(resource, push)
                ? shadow ??= new RBAC { Action = action }
                : rules ??= new RBAC { Action = action };
            var prefix = provider is null ? "" : $"{ExtAuthzPrefix}-{provider}-";
            if (spec.Rules is not { Count: > 0 } list)
            {
                target.Policies[$"{prefix}ns[{resource.Namespace}]-policy[{resource.Name}]-rule[0]"] = MatchNever.Clone();
                continue;
            }
            for (var i = 0; i < list.Count; i++)
            {
                var name = $"{prefix}ns[{resource.Namespace}]-policy[{resource.Name}]-rule[{i}]";
                if (list[i] is not { } rule) continue;
                var model = RuleModel.Create(resource.Namespace, rule, out var error);
                var generated = model?.Generate(forTcp, action, port, out error);
                if (generated is null)
                {
                    // An HTTP-only ALLOW rule on a TCP chain is simply not there (Istio logs it at debug level).
                    if (!forTcp || model is null) push.Issues[$"AuthorizationPolicy/{resource.Namespace}/{resource.Name}/rule[{i}]"] = $"skipped rule {name}: {error}";
                    continue;
                }
                target.Policies[name] = generated;
            }
        }
        return (rules, shadow);
    }

    /// <summary>Istio parses the annotation as a Go bool; a bad value is reported and means "not dry run".</summary>
    private static bool IsDryRun(Resource resource, PushContext push)
    {
        if (resource.Metadata.Annotations?.TryGetValue(DryRunAnnotation, out var value) != true) return false;
        switch (value?.Trim())
        {
            case "1" or "t" or "T" or "true" or "TRUE" or "True": return true;
            case "0" or "f" or "F" or "false" or "FALSE" or "False": return false;
            default:
                push.Issues[$"AuthorizationPolicy/{resource.Namespace}/{resource.Name}/dry-run"] = $"failed to parse the value of {DryRunAnnotation}: \"{value}\"";
                return false;
        }
    }
}
