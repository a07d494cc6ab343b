using Rigging.Api.Model;
using Rigging.Api.Security;

namespace Rigging.Api.Validation;

/// <summary>Istio's rules for PeerAuthentication: port-level mTLS needs a workload selector and real port numbers.</summary>
internal sealed class PeerAuthenticationValidator : SpecValidator<PeerAuthentication>
{
    protected override void Validate(PeerAuthentication spec, Resource resource, ValidationContext context)
    {
        PolicyTargetRules.ValidateSelector(spec.Selector, FieldPath.Spec.Child("selector"), context);

        if (spec.PortLevelMtls is not { } ports) return;
        var path = FieldPath.Spec.Child("portLevelMtls");
        if (ports.Count == 0)
        {
            context.Schema(path, "should have at least 1 properties; remove portLevelMtls or name a port");
            return;
        }
        // Ports are a workload's own: a mesh- or namespace-wide policy cannot know them.
        if (spec.Selector?.MatchLabels is not { Count: > 0 })
            context.Rule(FieldPath.Spec, "portLevelMtls requires selector: port-level mTLS applies to the ports of selected workloads; add selector.matchLabels or move the setting to mtls");
        foreach (var port in ports.Keys)
        {
            if (port is 0 or > 65535) context.Invalid(path.Key(port.ToString(System.Globalization.CultureInfo.InvariantCulture)), port, ValueRules.PortRange);
        }
    }
}
