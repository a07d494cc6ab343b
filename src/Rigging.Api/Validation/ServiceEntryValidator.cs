using Rigging.Api.Model;
using Rigging.Api.Networking;

namespace Rigging.Api.Validation;

/// <summary>Istio's rules for a ServiceEntry: hosts, addresses, ports, resolution and endpoints.</summary>
internal sealed class ServiceEntryValidator : SpecValidator<ServiceEntry>
{
    protected override void Validate(ServiceEntry spec, Resource resource, ValidationContext context)
    {
        var path = FieldPath.Spec;
        var resolution = spec.Resolution ?? ServiceEntryResolution.NONE;
        var hosts = spec.Hosts ?? [];
        if (hosts.Count == 0) context.Required(path.Child("hosts"));
        for (var i = 0; i < hosts.Count; i++)
        {
            var host = hosts[i];
            if (host is null) continue;
            var at = path.Child("hosts").Index(i);
            if (host == "*") context.Invalid(at, host, "hostname cannot be wildcard");
            else if (HostRules.WildcardDomainProblem(host) is { } problem) context.Invalid(at, host, problem);
            else if (host.StartsWith('*') && resolution is ServiceEntryResolution.DNS or ServiceEntryResolution.DNS_ROUND_ROBIN && spec.Endpoints is not { Count: > 0 })
                context.Invalid(at, host, "a wildcard host cannot be resolved by DNS; add endpoints or use resolution NONE");
        }

        var addresses = spec.Addresses ?? [];
        for (var i = 0; i < addresses.Count; i++)
        {
            var address = addresses[i];
            if (address is null) continue;
            var at = path.Child("addresses").Index(i);
            if (!IpRules.IsIpOrCidr(address)) context.Invalid(at, address, "must be an IP address or a CIDR block");
            else if (address.Contains('/') && resolution is not (ServiceEntryResolution.NONE or ServiceEntryResolution.STATIC))
                context.Invalid(at, address, "CIDR addresses are allowed only for NONE/STATIC resolution types");
        }

        var portNames = Ports(spec.Ports, path.Child("ports"), context);

        var endpoints = spec.Endpoints ?? [];
        if (spec.WorkloadSelector is not null && spec.Endpoints is not null)
            context.Rule(path, "only one of WorkloadSelector or Endpoints can be set");
        LabelRules.ValidateSelector(spec.WorkloadSelector?.Labels, path.Child("workloadSelector").Child("labels"), context);
        if (resolution == ServiceEntryResolution.NONE && endpoints.Count > 0)
            context.Invalid(path.Child("endpoints"), "NONE", "NONE mode cannot set endpoints");
        if (resolution == ServiceEntryResolution.DNS_ROUND_ROBIN && endpoints.Count > 1)
            context.Invalid(path.Child("endpoints"), endpoints.Count, "DNS_ROUND_ROBIN mode cannot have multiple endpoints");
        for (var i = 0; i < endpoints.Count; i++)
        {
            if (endpoints[i] is { } endpoint) Endpoint(endpoint, resolution, portNames, path.Child("endpoints").Index(i), context);
        }
        ExportToRules.Validate(spec.ExportTo, path.Child("exportTo"), context);
        ValueRules.NotEmpty(spec.SubjectAltNames, path.Child("subjectAltNames"), context);
    }

    private static HashSet<string> Ports(IReadOnlyList<ServiceEntryPort>? ports, FieldPath path, ValidationContext context)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        var numbers = new HashSet<uint>();
        for (var i = 0; i < (ports?.Count ?? 0); i++)
        {
            if (ports![i] is not { } port) continue;
            var at = path.Index(i);
            if (port.Number is not { } number) context.Required(at.Child("number"));
            else if (number is 0 or > 65535) context.Invalid(at.Child("number"), number, ValueRules.PortRange);
            else if (!numbers.Add(number)) context.Invalid(at.Child("number"), number, "port number cannot be duplicated");
            ValueRules.Port(port.TargetPort, at.Child("targetPort"), context);
            if (port.Name is { } name && !names.Add(name)) context.Duplicate(at.Child("name"), name);
            ProtocolRules.Validate(port.Protocol, at.Child("protocol"), context, required: false);
        }
        return names;
    }

    private static void Endpoint(WorkloadEntry endpoint, ServiceEntryResolution resolution, HashSet<string> portNames, FieldPath path, ValidationContext context)
    {
        var address = endpoint.Address;
        if (string.IsNullOrEmpty(address))
        {
            // Endpoints without an address are allowed only when they name a network (reached through its gateway).
            if (string.IsNullOrEmpty(endpoint.Network)) context.Required(path.Child("address"), "Address is required");
        }
        else if (!address.StartsWith("unix://", StringComparison.Ordinal))
        {
            if (resolution == ServiceEntryResolution.STATIC && !IpRules.IsIp(address))
                context.Invalid(path.Child("address"), address, "STATIC resolution needs IP addresses");
            else if (!IpRules.IsIp(address) && HostRules.Dns1123LabelsProblem(address) is { } problem)
                context.Invalid(path.Child("address"), address, problem);
        }
        foreach (var (name, number) in endpoint.Ports ?? new Dictionary<string, uint>())
        {
            var at = path.Child("ports").Key(name);
            if (!portNames.Contains(name)) context.Invalid(at, name, "the endpoint's port names a port the service entry does not declare");
            ValueRules.Port(number, at, context);
        }
        LabelRules.ValidateLabels(endpoint.Labels, path.Child("labels"), context);
    }
}
