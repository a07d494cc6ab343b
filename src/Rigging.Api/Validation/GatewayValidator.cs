using Rigging.Api.Model;
using Rigging.Api.Networking;

namespace Rigging.Api.Validation;

/// <summary>Istio's rules for a Gateway: servers with ports, hosts (<c>namespace/host</c>) and TLS.</summary>
internal sealed class GatewayValidator : SpecValidator<Gateway>
{
    protected override void Validate(Gateway spec, Resource resource, ValidationContext context)
    {
        var path = FieldPath.Spec;
        var servers = spec.Servers ?? [];
        if (servers.Count == 0) context.Required(path.Child("servers"), "a gateway must have at least one server");
        var portNames = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < servers.Count; i++)
        {
            if (servers[i] is not { } server) continue;
            var at = path.Child("servers").Index(i);
            Server(server, at, context);
            // Istio names the listener's route by port name, so names must not repeat across servers.
            if (server.Port?.Name is { Length: > 0 } name && !portNames.Add(name))
                context.Invalid(at.Child("port").Child("name"), name, "port names in servers must be unique");
        }
        LabelRules.ValidateLabels(spec.Selector, path.Child("selector"), context);
    }

    private static void Server(Server server, FieldPath path, ValidationContext context)
    {
        var hosts = server.Hosts ?? [];
        if (hosts.Count == 0) context.Required(path.Child("hosts"), "a server must have at least one host");
        for (var i = 0; i < hosts.Count; i++)
        {
            if (hosts[i] is { } host && NamespacedHostProblem(host, requireNamespace: false) is { } problem)
                context.Invalid(path.Child("hosts").Index(i), host, problem);
        }

        if (server.Port is not { } port)
        {
            context.Required(path.Child("port"));
        }
        else
        {
            var at = path.Child("port");
            if (port.Number is null) context.Required(at.Child("number"));
            ValueRules.Port(port.Number, at.Child("number"), context);
            ValueRules.Port(port.TargetPort, at.Child("targetPort"), context);
            ProtocolRules.Validate(port.Protocol, at.Child("protocol"), context, required: true);
            if (string.IsNullOrEmpty(port.Name)) context.Required(at.Child("name"), "a server's port needs a name");
        }

        var protocol = server.Port?.Protocol ?? "";
        if (server.Tls is { } tls)
        {
            // On a plain-text port, TLS settings only make sense as an HTTPS redirect.
            if (ProtocolRules.IsTls(protocol)) ServerTlsRules.Validate(tls, path.Child("tls"), context);
            else if (protocol.Length > 0 && tls.HttpsRedirect is not true)
                context.Invalid(path.Child("tls"), protocol, "TLS settings need an HTTPS or TLS port; on a plain-text port only httpsRedirect may be set");
            if (tls.Mode is ServerTlsMode.PASSTHROUGH or ServerTlsMode.AUTO_PASSTHROUGH && !protocol.Equals("TLS", StringComparison.OrdinalIgnoreCase))
                context.Invalid(path.Child("tls").Child("mode"), tls.Mode.ToString(), "PASSTHROUGH and AUTO_PASSTHROUGH need a TLS port");
        }
        else if (ProtocolRules.IsTls(protocol))
        {
            context.Required(path.Child("tls"), $"a server on a {protocol} port needs TLS settings");
        }

        if (server.Bind is { Length: > 0 } bind && !IpRules.IsIp(bind) && !bind.StartsWith("unix://", StringComparison.Ordinal))
            context.Invalid(path.Child("bind"), bind, "bind must be an IP address or a unix:// socket path");
    }

    /// <summary>
    /// Istio's <c>namespace/host</c> form for Gateway and Sidecar hosts: the namespace part is <c>*</c>, <c>.</c>,
    /// <c>~</c> or a namespace name; the host part a DNS name, possibly a wildcard.
    /// </summary>
    public static string? NamespacedHostProblem(string value, bool requireNamespace)
    {
        var parts = value.Split('/');
        if (parts.Length > 2) return "hosts are written as namespace/dnsName";
        if (parts.Length == 1 && requireNamespace) return "hosts must be of form namespace/dnsName";
        if (parts.Length == 2)
        {
            var ns = parts[0];
            if (ns is not ("*" or "." or "~") && !KubernetesNames.IsDns1123Label(ns))
                return $"the namespace part \"{ns}\" must be *, ., ~ or a namespace name";
        }
        var host = parts[^1];
        return IpRules.IsIp(host) ? null : HostRules.WildcardDomainProblem(host);
    }
}
