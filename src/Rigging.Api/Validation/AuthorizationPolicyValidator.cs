using Rigging.Api.Model;
using Rigging.Api.Security;

namespace Rigging.Api.Validation;

/// <summary>
/// Istio's rules for AuthorizationPolicy: what it applies to, the action and its provider, and every rule's sources,
/// operations and conditions (<c>pkg/config/validation</c> and the CRD's schema).
/// </summary>
internal sealed partial class AuthorizationPolicyValidator : SpecValidator<AuthorizationPolicy>
{
    private const int MaxItems = 512;

    private const string NeverTriggers =
        "a {0} policy without rules never matches a request; add an empty rule `{{}}` to apply it to every request";

    protected override void Validate(AuthorizationPolicy spec, Resource resource, ValidationContext context)
    {
        PolicyTargetRules.Validate(spec.Selector, spec.TargetRef, spec.TargetRefs, context);
        ValidateAction(spec, context);

        var rulesPath = FieldPath.Spec.Child("rules");
        if (spec.Rules is not { } rules) return;
        if (rules.Count > MaxItems) context.Error(rulesPath, $"Too many: {rules.Count}: must have at most {MaxItems} items");
        for (var i = 0; i < rules.Count; i++)
        {
            if (rules[i] is { } rule) ValidateRule(rule, spec.Action, rulesPath.Index(i), context);
        }
    }

    private static void ValidateAction(AuthorizationPolicy spec, ValidationContext context)
    {
        var rulesPath = FieldPath.Spec.Child("rules");
        switch (spec.Action)
        {
            case AuthorizationPolicyAction.CUSTOM when spec.Rules is null:
                context.Required(rulesPath, string.Format(System.Globalization.CultureInfo.InvariantCulture, NeverTriggers, "CUSTOM"));
                break;
            case AuthorizationPolicyAction.CUSTOM when string.IsNullOrEmpty(spec.Provider?.Name):
                context.Required(FieldPath.Spec.Child("provider").Child("name"),
                    "a CUSTOM policy names the extension provider (from mesh config) that makes the decision");
                break;
            case AuthorizationPolicyAction.DENY when spec.Rules is null:
                context.Required(rulesPath, string.Format(System.Globalization.CultureInfo.InvariantCulture, NeverTriggers, "DENY"));
                break;
        }
        if (spec.Provider is not null && spec.Action != AuthorizationPolicyAction.CUSTOM)
            context.Error(FieldPath.Spec.Child("provider"),
                $"provider may only be set with action CUSTOM, not {spec.Action ?? AuthorizationPolicyAction.ALLOW}; remove it or set action: CUSTOM");
    }

    private static void ValidateRule(Rule rule, AuthorizationPolicyAction? action, FieldPath path, ValidationContext context)
    {
        var custom = action == AuthorizationPolicyAction.CUSTOM;
        var hasFrom = false;
        var tcpInFrom = false;
        if (rule.From is { } from)
        {
            var fromPath = path.Child("from");
            if (from.Count == 0) context.Error(fromPath, "must not be empty; leave from out to match requests from any source");
            if (from.Count > MaxItems) context.Error(fromPath, $"Too many: {from.Count}: must have at most {MaxItems} items");
            for (var j = 0; j < from.Count; j++)
            {
                if (from[j] is not { } item) continue;
                var sourcePath = fromPath.Index(j).Child("source");
                if (item.Source is not { } source)
                {
                    context.Required(sourcePath, "each from entry needs a source");
                    continue;
                }
                hasFrom = true;
                tcpInFrom |= UsesTcpAttributes(source);
                ValidateSource(source, sourcePath, custom, context);
            }
        }

        var hasTo = false;
        var tcpInTo = false;
        if (rule.To is { } to)
        {
            var toPath = path.Child("to");
            if (to.Count == 0) context.Error(toPath, "must not be empty; leave to out to match any operation");
            for (var j = 0; j < to.Count; j++)
            {
                if (to[j] is not { } item) continue;
                var operationPath = toPath.Index(j).Child("operation");
                if (item.Operation is not { } operation)
                {
                    context.Required(operationPath, "each to entry needs an operation");
                    continue;
                }
                hasTo = true;
                tcpInTo |= operation.Ports is not null || operation.NotPorts is not null;
                ValidateOperation(operation, operationPath, context);
            }
        }

        if (rule.When is { } when)
        {
            for (var j = 0; j < when.Count; j++)
            {
                if (when[j] is { } condition) ValidateCondition(condition, path.Child("when").Index(j), custom, context);
            }
        }

        // A DENY rule with only HTTP attributes cannot be evaluated on TCP traffic, so Envoy denies all of it.
        if (action == AuthorizationPolicyAction.DENY && ((hasFrom && !hasTo && !tcpInFrom) || (hasTo && !tcpInTo)))
            context.Warning(path, "this DENY rule uses only HTTP attributes, so it denies all traffic to TCP ports in its scope; name the ports (to.operation.ports) to limit it");
    }

    private static bool UsesTcpAttributes(Source s) =>
        s.Principals is not null || s.NotPrincipals is not null || s.IpBlocks is not null || s.NotIpBlocks is not null
        || s.Namespaces is not null || s.NotNamespaces is not null || s.RemoteIpBlocks is not null || s.NotRemoteIpBlocks is not null
        || s.ServiceAccounts is not null || s.NotServiceAccounts is not null;
}
