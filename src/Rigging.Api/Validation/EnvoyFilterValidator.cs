using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Rigging.Api.Model;
using Rigging.Api.Networking;

namespace Rigging.Api.Validation;

/// <summary>
/// Istio's rules for EnvoyFilter: what it applies to, and that each patch's applyTo, match and patch line up.
/// Patch values are Envoy configuration; they are checked only for shape, not against Envoy's protos.
/// </summary>
internal sealed partial class EnvoyFilterValidator : SpecValidator<EnvoyFilter>
{
    private const int MaxProxyVersionLength = 1024;

    protected override void Validate(EnvoyFilter spec, Resource resource, ValidationContext context)
    {
        context.Warning(FieldPath.Spec, "EnvoyFilter exposes internal implementation details that may change at any time; prefer other APIs if possible, and take extreme care on upgrades");
        if (spec.WorkloadLabels is not null)
            context.Error(FieldPath.Spec.Child("workloadLabels"), "workloadLabels was removed from EnvoyFilter; use workloadSelector.labels");
        if (spec.Filters is not null)
            context.Error(FieldPath.Spec.Child("filters"), "filters was removed from EnvoyFilter; use configPatches");

        var selectorPath = FieldPath.Spec.Child("workloadSelector");
        if (spec.WorkloadSelector is not null && spec.TargetRefs is not null)
            context.Rule(FieldPath.Spec, "only one of targetRefs or workloadSelector can be set");
        if (spec.WorkloadSelector is { } selector)
        {
            if (selector.Labels is not { Count: > 0 })
                context.Warning(selectorPath, "workload selector specified without labels: the filter will be applied to all workloads in the namespace");
            else if (selector.Labels.Count > 256)
                context.Error(selectorPath.Child("labels"), $"Too many: {selector.Labels.Count}: must have at most 256 items");
            LabelRules.ValidateSelector(selector.Labels, selectorPath.Child("labels"), context, SelectorMessages.Networking);
        }
        PolicyTargetRules.ValidateReferences(spec.TargetRefs, FieldPath.Spec.Child("targetRefs"), context, checkKind: false);

        var patchesPath = FieldPath.Spec.Child("configPatches");
        for (var i = 0; spec.ConfigPatches is { } patches && i < patches.Count; i++)
        {
            if (patches[i] is { } patch) ValidatePatch(patch, patchesPath.Index(i), context);
        }
    }

    private static void ValidatePatch(EnvoyConfigObjectPatch patch, FieldPath path, ValidationContext context)
    {
        var match = patch.Match;
        if (match is not null) ValidateMatchShape(match, path.Child("match"), context);
        // istiod does not check waypoint patches further yet.
        if (match?.Context == EnvoyFilterPatchContext.WAYPOINT) return;

        if (patch.ApplyTo is null or EnvoyFilterApplyTo.INVALID)
        {
            context.Required(path.Child("applyTo"), "what the patch applies to, such as HTTP_FILTER or CLUSTER");
            return;
        }
        if (patch.Patch is not { } change)
        {
            context.Required(path.Child("patch"), "the operation and value to apply");
            return;
        }
        if (change.Operation is null or PatchOperation.INVALID)
        {
            context.Required(path.Child("patch").Child("operation"), "how to apply the patch, such as MERGE, ADD or INSERT_BEFORE");
            return;
        }
        if (change.Operation != PatchOperation.REMOVE && change.Value is null)
        {
            context.Required(path.Child("patch").Child("value"), $"the Envoy configuration to {change.Operation}; only REMOVE needs none");
            return;
        }
        if (match?.Proxy?.ProxyVersion is { Length: > 0 } version && !ValidProxyVersion(version, path.Child("match").Child("proxy").Child("proxyVersion"), context))
            return;
        ValidateObjectMatch(patch.ApplyTo.Value, match, path.Child("match"), context);
        ValidateValue(change.Value, path.Child("patch").Child("value"), context);
    }

    /// <summary>The schema's rules: one object type at most, waypoint matches only with the WAYPOINT context.</summary>
    private static void ValidateMatchShape(EnvoyConfigObjectMatch match, FieldPath path, ValidationContext context)
    {
        var set = (match.Listener is null ? 0 : 1) + (match.RouteConfiguration is null ? 0 : 1) + (match.Cluster is null ? 0 : 1) + (match.Waypoint is null ? 0 : 1);
        if (set > 1) context.Rule(path, "only one of listener, routeConfiguration, cluster or waypoint can be set");
        var waypointContext = match.Context == EnvoyFilterPatchContext.WAYPOINT;
        if (waypointContext != match.Waypoint is not null)
        {
            var fix = waypointContext ? "add a waypoint match" : "set context: WAYPOINT or remove the waypoint match";
            context.Rule(path, $"only support waypointMatch when context is WAYPOINT; {fix}");
        }
        if (match.Waypoint?.PortNumber is { } port && port is 0 or > 65535)
            context.Invalid(path.Child("waypoint").Child("portNumber"), "integer", $"{ValueRules.PortRange}, not {port}");
    }

    private static bool ValidProxyVersion(string version, FieldPath path, ValidationContext context)
    {
        if (version.Length > MaxProxyVersionLength)
        {
            context.Warning(path, $"the proxyVersion match is longer than {MaxProxyVersionLength} characters and will be ignored");
            return true;
        }
        try
        {
            _ = new Regex(version, RegexOptions.None, TimeSpan.FromSeconds(1));
            return true;
        }
        catch (ArgumentException e)
        {
            context.Invalid(path, version, $"invalid regular expression for the proxy version ({e.Message}); for example ^1\\.2[0-9].*");
            return false;
        }
    }

    /// <summary>Envoy configuration is a JSON object; typed configs must name v3 types (v2 is gone from Envoy).</summary>
    private static void ValidateValue(JsonNode? value, FieldPath path, ValidationContext context)
    {
        if (value is null) return;
        if (value is not JsonObject)
        {
            context.Schema(path, $"must be of type object: \"{value.GetValueKind().ToString().ToLowerInvariant()}\"");
            return;
        }
        foreach (var typeUrl in TypeUrls(value))
        {
            if (typeUrl.Contains(".v2.", StringComparison.Ordinal) || typeUrl.Contains(".v2alpha.", StringComparison.Ordinal))
                context.Invalid(path, typeUrl, "referenced type unknown (hint: try using the v3 XDS API)");
        }
    }

    private static IEnumerable<string> TypeUrls(JsonNode node)
    {
        var pending = new Stack<JsonNode>();
        pending.Push(node);
        while (pending.Count > 0)
        {
            switch (pending.Pop())
            {
                case JsonObject obj:
                    foreach (var (key, child) in obj)
                    {
                        if (key == "@type" && child is JsonValue v && v.TryGetValue<string>(out var url)) yield return url;
                        else if (child is not null) pending.Push(child);
                    }
                    break;
                case JsonArray array:
                    foreach (var child in array)
                    {
                        if (child is not null) pending.Push(child);
                    }
                    break;
            }
        }
    }
}
