using System.Text.RegularExpressions;
using Rigging.Api.Model;

namespace Rigging.Api.Validation;

/// <summary>
/// How a policy (AuthorizationPolicy, RequestAuthentication, Telemetry, WasmPlugin, EnvoyFilter) says what it applies
/// to: workloads by a label selector, or resources by <c>targetRef</c>/<c>targetRefs</c>; never both.
/// </summary>
internal static partial class PolicyTargetRules
{
    public const int MaxTargetRefs = 16;

    private const string GroupPattern = @"^$|^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$";
    private const string KindPattern = "^[a-zA-Z]([-a-zA-Z0-9]*[a-zA-Z0-9])?$";

    /// <summary>The kinds istiod can attach a policy to; the version is not checked, only group and kind.</summary>
    private static readonly (string Group, string Kind)[] AllowedTargets =
    [
        ("core", "Service"),
        ("networking.istio.io", "ServiceEntry"),
        ("gateway.networking.k8s.io", "Gateway"),
        ("gateway.networking.k8s.io", "GatewayClass"),
    ];

    /// <summary>The selector, targetRef and targetRefs of a security, telemetry or extensions policy.</summary>
    public static void Validate(WorkloadSelector? selector, PolicyTargetReference? targetRef,
        IReadOnlyList<PolicyTargetReference>? targetRefs, ValidationContext context)
    {
        var set = (selector is null ? 0 : 1) + (targetRef is null ? 0 : 1) + (targetRefs is null ? 0 : 1);
        if (set > 1)
            context.Rule(FieldPath.Spec, "only one of targetRefs or selector can be set: a policy applies either to the workloads a selector picks or to the resources it references");
        ValidateSelector(selector, FieldPath.Spec.Child("selector"), context);
        if (targetRef is not null) ValidateReference(targetRef, FieldPath.Spec.Child("targetRef"), context, checkKind: true);
        ValidateReferences(targetRefs, FieldPath.Spec.Child("targetRefs"), context, checkKind: true);
    }

    /// <summary>A <c>matchLabels</c> selector; one without labels selects every workload of the namespace, which is
    /// rarely what was meant.</summary>
    public static void ValidateSelector(WorkloadSelector? selector, FieldPath path, ValidationContext context)
    {
        if (selector is null) return;
        if (selector.MatchLabels is not { Count: > 0 })
            context.Warning(path, "workload selector specified without labels: it selects every workload in the namespace; remove it or add matchLabels");
        LabelRules.ValidateSelector(selector.MatchLabels, path.Child("matchLabels"), context, SelectorMessages.Policy);
    }

    /// <summary>A list of references: at most 16, each well formed. <paramref name="checkKind"/> also requires a kind
    /// istiod can attach a policy to.</summary>
    public static void ValidateReferences(IReadOnlyList<PolicyTargetReference>? targetRefs, FieldPath path, ValidationContext context,
        bool checkKind)
    {
        if (targetRefs is null) return;
        if (targetRefs.Count > MaxTargetRefs)
            context.Error(path, $"Too many: {targetRefs.Count}: must have at most {MaxTargetRefs} items");
        for (var i = 0; i < targetRefs.Count; i++)
        {
            if (targetRefs[i] is { } reference) ValidateReference(reference, path.Index(i), context, checkKind);
        }
    }

    public static void ValidateReference(PolicyTargetReference reference, FieldPath path, ValidationContext context, bool checkKind)
    {
        var groupOk = true;
        var kindOk = true;
        if (reference.Group is { } group)
        {
            if (group.Length > 253) context.Schema(path.Child("group"), "should be at most 253 chars long");
            else if (!GroupRegex().IsMatch(group))
            {
                context.Schema(path.Child("group"), $"should match '{GroupPattern}' (an API group such as gateway.networking.k8s.io, or \"\" for core)");
                groupOk = false;
            }
        }
        if (reference.Kind is not { } kind)
        {
            context.Required(path.Child("kind"), "the kind of the target, such as Service or Gateway");
            kindOk = false;
        }
        else if (kind.Length == 0)
        {
            context.Schema(path.Child("kind"), "should be at least 1 chars long");
            kindOk = false;
        }
        else if (kind.Length > 63 || !KindRegex().IsMatch(kind))
        {
            context.Schema(path.Child("kind"), kind.Length > 63 ? "should be at most 63 chars long" : $"should match '{KindPattern}' (a kind such as Service)");
            kindOk = false;
        }
        if (reference.Name is not { } name) context.Required(path.Child("name"), "the name of the target resource");
        else if (name.Length == 0) context.Schema(path.Child("name"), "should be at least 1 chars long");
        else if (name.Length > 253) context.Schema(path.Child("name"), "should be at most 253 chars long");
        if (reference.Namespace is { Length: > 0 } ns)
            context.Invalid(path.Child("namespace"), ns, "cross namespace referencing is not currently supported; the target must be in the policy's namespace (leave namespace unset)");
        if (checkKind && groupOk && kindOk && !IsAllowed(reference.Group, reference.Kind!))
            context.Invalid(path.Child("kind"), $"{reference.Group}/{reference.Kind}",
                "a policy can target a Service (group \"\"), a ServiceEntry (networking.istio.io), or a Gateway or GatewayClass (gateway.networking.k8s.io)");
    }

    private static bool IsAllowed(string? group, string kind)
    {
        var canonical = string.IsNullOrEmpty(group) ? "core" : group;
        foreach (var (g, k) in AllowedTargets)
        {
            if (g == canonical && k == kind) return true;
        }
        return false;
    }

    [GeneratedRegex(GroupPattern)]
    private static partial Regex GroupRegex();

    [GeneratedRegex(KindPattern)]
    private static partial Regex KindRegex();
}
