using System.Text.RegularExpressions;
using Rigging.Api.Networking;

namespace Rigging.Api.Validation;

/// <summary>
/// The rules a WorkloadEntry and a WorkloadGroup's template share: the address (IP, host name or unix:// socket),
/// named ports, labels and field lengths. Only a WorkloadEntry must have an address: a group's entries get theirs
/// when the VM registers.
/// </summary>
internal static partial class WorkloadEntryRules
{
    public const string UnixPrefix = "unix://";
    private const int MaxPorts = 128;

    public static void Validate(WorkloadEntry entry, FieldPath path, ValidationContext context)
    {
        ValidateAddress(entry.Address, path.Child("address"), context);
        if (entry.Address is { } address && address.StartsWith(UnixPrefix, StringComparison.Ordinal) && entry.Ports is not null)
            context.Rule(path, "UDS may not include ports: a unix domain socket address has no ports; remove ports or use an IP address");
        ValidatePorts(entry.Ports, path.Child("ports"), context);
        LabelRules.ValidateLabels(entry.Labels, path.Child("labels"), context);
        if (entry.Labels is { Count: > 256 } labels) context.Error(path.Child("labels"), $"Too many: {labels.Count}: must have at most 256 items");
        MaxLength(entry.Network, path.Child("network"), 2048, context);
        MaxLength(entry.Locality, path.Child("locality"), 2048, context);
        MaxLength(entry.ServiceAccount, path.Child("serviceAccount"), 253, context);
        if (entry.ServiceAccount is { Length: > 0 } sa && !KubernetesNames.IsDns1123Subdomain(sa))
            context.Invalid(path.Child("serviceAccount"), sa, "a service account name is a " + KubernetesNames.Dns1123SubdomainMessage);
    }

    private static void ValidateAddress(string? address, FieldPath path, ValidationContext context)
    {
        if (string.IsNullOrEmpty(address)) return;
        if (address.Length > 256)
        {
            context.Schema(path, "should be at most 256 chars long");
            return;
        }
        if (address.StartsWith(UnixPrefix, StringComparison.Ordinal))
        {
            var socket = address[UnixPrefix.Length..];
            if (!socket.StartsWith('/') && !socket.StartsWith('@'))
                context.Invalid(path, address, "UDS must be an absolute path or abstract socket, such as unix:///var/run/app.sock or unix://@app");
            else if (socket.EndsWith('/'))
                context.Invalid(path, address, "UDS may not be a dir: name the socket file, such as unix:///var/run/app.sock");
            return;
        }
        if (IpRules.IsIp(address)) return;
        if (HostRules.Dns1123LabelsProblem(address) is { } problem)
            context.Invalid(path, address, $"endpoint address is not a valid FQDN or an IP address: {problem}");
    }

    private static void ValidatePorts(IReadOnlyDictionary<string, uint>? ports, FieldPath path, ValidationContext context)
    {
        if (ports is null) return;
        if (ports.Count > MaxPorts) context.Error(path, $"Too many: {ports.Count}: must have at most {MaxPorts} items");
        foreach (var (name, number) in ports)
        {
            if (name.Length >= 63 || !PortName().IsMatch(name))
                context.Invalid(path, name, "port name must be valid: letters, digits and '-', starting and ending with a letter or digit (at most 62 characters), such as http-web");
            if (number is 0 or > 65535) context.Invalid(path.Key(name), number, ValueRules.PortRange);
        }
    }

    private static void MaxLength(string? value, FieldPath path, int max, ValidationContext context)
    {
        if (value is { } v && v.Length > max) context.Schema(path, $"should be at most {max} chars long");
    }

    [GeneratedRegex("^[a-zA-Z0-9](?:[-a-zA-Z0-9]*[a-zA-Z0-9])?$")]
    private static partial Regex PortName();
}
