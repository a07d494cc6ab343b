using Rigging.Api.Model;
using Rigging.Api.Networking;

namespace Rigging.Api.Validation;

/// <summary>Istio's rules for a DestinationRule: its host, subsets and traffic policies.</summary>
internal sealed class DestinationRuleValidator : SpecValidator<DestinationRule>
{
    protected override void Validate(DestinationRule spec, Resource resource, ValidationContext context)
    {
        var path = FieldPath.Spec;
        if (string.IsNullOrEmpty(spec.Host)) context.Required(path.Child("host"));
        else if (!IpRules.IsIp(spec.Host) && HostRules.WildcardDomainProblem(spec.Host) is { } problem)
            context.Invalid(path.Child("host"), spec.Host, problem);

        if (spec.TrafficPolicy is { } policy) TrafficPolicyRules.TrafficPolicy(policy, path.Child("trafficPolicy"), context);

        var subsets = spec.Subsets ?? [];
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < subsets.Count; i++)
        {
            if (subsets[i] is not { } subset) continue;
            var at = path.Child("subsets").Index(i);
            if (string.IsNullOrEmpty(subset.Name)) context.Required(at.Child("name"));
            else if (!KubernetesNames.IsDns1123Label(subset.Name)) context.Invalid(at.Child("name"), subset.Name, "a subset name must be a valid RFC 1123 label");
            else if (!names.Add(subset.Name)) context.Duplicate(at.Child("name"), subset.Name);
            LabelRules.ValidateLabels(subset.Labels, at.Child("labels"), context);
            if (subset.TrafficPolicy is { } subsetPolicy) TrafficPolicyRules.TrafficPolicy(subsetPolicy, at.Child("trafficPolicy"), context);
        }
        ExportToRules.Validate(spec.ExportTo, path.Child("exportTo"), context);
        LabelRules.ValidateSelector(spec.WorkloadSelector?.MatchLabels, path.Child("workloadSelector").Child("matchLabels"), context);
    }
}
