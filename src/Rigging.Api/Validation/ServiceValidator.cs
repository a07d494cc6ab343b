using Rigging.Api.Kubernetes;
using Rigging.Api.Model;

namespace Rigging.Api.Validation;

/// <summary>
/// The Kubernetes API server's rules for a Service's ports, which Rigging checks itself when there is no
/// Kubernetes: every port has a number, names are unique and required when there are several.
/// </summary>
internal sealed class ServiceValidator : SpecValidator<ServiceSpec>
{
    private static readonly string[] Protocols = ["TCP", "UDP", "SCTP"];

    protected override void Validate(ServiceSpec spec, Resource resource, ValidationContext context)
    {
        var path = FieldPath.Spec.Child("ports");
        var ports = spec.Ports ?? [];
        var names = new HashSet<string>(StringComparer.Ordinal);
        var numbers = new HashSet<(int, string)>();
        for (var i = 0; i < ports.Count; i++)
        {
            if (ports[i] is not { } port) continue;
            var at = path.Index(i);
            if (port.Port is null) context.Required(at.Child("port"));
            ValueRules.Port(port.Port, at.Child("port"), context);
            if (port.TargetPort?.Number is { } target) ValueRules.Port(target, at.Child("targetPort"), context);
            if (port.TargetPort?.Name is { } named && !KubernetesNames.IsDns1123Label(named))
                context.Invalid(at.Child("targetPort"), named, "a named target port must be a valid RFC 1123 label (at most 15 characters)");
            var protocol = port.Protocol ?? "TCP";
            if (!Protocols.Contains(protocol)) context.Unsupported(at.Child("protocol"), protocol, Protocols);
            if (string.IsNullOrEmpty(port.Name))
            {
                if (ports.Count > 1) context.Required(at.Child("name"), "ports must be named when a Service has more than one");
            }
            else if (!KubernetesNames.IsDns1123Label(port.Name))
            {
                context.Invalid(at.Child("name"), port.Name, KubernetesNames.Dns1123LabelMessage);
            }
            else if (!names.Add(port.Name))
            {
                context.Duplicate(at.Child("name"), port.Name);
            }
            if (port.Port is { } number && !numbers.Add((number, protocol)))
                context.Duplicate(at, $"{number}/{protocol}");
        }
        LabelRules.ValidateLabels(spec.Selector, FieldPath.Spec.Child("selector"), context);
    }
}
