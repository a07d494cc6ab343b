using Rigging.Api.Model;
using Rigging.Api.Networking;

namespace Rigging.Api.Validation;

/// <summary>Istio's rules for a Sidecar: ingress and egress listeners, and the outbound traffic policy.</summary>
internal sealed class SidecarValidator : SpecValidator<Sidecar>
{
    protected override void Validate(Sidecar spec, Resource resource, ValidationContext context)
    {
        var path = FieldPath.Spec;
        LabelRules.ValidateSelector(spec.WorkloadSelector?.Labels, path.Child("workloadSelector").Child("labels"), context);

        var ingress = spec.Ingress ?? [];
        var ingressPorts = new HashSet<uint>();
        for (var i = 0; i < ingress.Count; i++)
        {
            if (ingress[i] is not { } listener) continue;
            var at = path.Child("ingress").Index(i);
            if (listener.Port is null) context.Required(at.Child("port"), "an ingress listener needs a port");
            else if (Port(listener.Port, at.Child("port"), context) is { } number && !ingressPorts.Add(number))
                context.Duplicate(at.Child("port").Child("number"), number);
            Bind(listener.Bind, at.Child("bind"), context);
            if (listener.DefaultEndpoint is { Length: > 0 } endpoint && DefaultEndpointProblem(endpoint) is { } problem)
                context.Invalid(at.Child("defaultEndpoint"), endpoint, problem);
            if (listener.Tls is { } tls) ServerTlsRules.Validate(tls, at.Child("tls"), context);
            if (listener.ConnectionPool is { } pool) TrafficPolicyRules.ConnectionPool(pool, at.Child("connectionPool"), context);
        }

        var egress = spec.Egress ?? [];
        var egressPorts = new HashSet<uint>();
        for (var i = 0; i < egress.Count; i++)
        {
            if (egress[i] is not { } listener) continue;
            var at = path.Child("egress").Index(i);
            if (listener.Port is null)
            {
                // The listener without a port is the catch-all, so it must come last.
                if (i != egress.Count - 1) context.Invalid(at, "port", "the egress listener with empty port should be the last listener in the list");
            }
            else if (Port(listener.Port, at.Child("port"), context) is { } number && !egressPorts.Add(number))
            {
                context.Duplicate(at.Child("port").Child("number"), number);
            }
            Bind(listener.Bind, at.Child("bind"), context);
            var hosts = listener.Hosts ?? [];
            if (hosts.Count == 0) context.Required(at.Child("hosts"), "an egress listener must contain at least one host");
            for (var j = 0; j < hosts.Count; j++)
            {
                if (hosts[j] is { } host && GatewayValidator.NamespacedHostProblem(host, requireNamespace: true) is { } problem)
                    context.Invalid(at.Child("hosts").Index(j), host, problem);
            }
        }

        if (spec.InboundConnectionPool is { } inbound) TrafficPolicyRules.ConnectionPool(inbound, path.Child("inboundConnectionPool"), context);
        if (spec.OutboundTrafficPolicy is { } outbound && outbound.EgressProxy is { } proxy)
        {
            var at = path.Child("outboundTrafficPolicy");
            if (outbound.Mode != OutboundTrafficPolicyMode.ALLOW_ANY)
                context.Invalid(at.Child("egressProxy"), proxy.Host, "egressProxy can be set only with ALLOW_ANY outbound traffic policy mode");
            VirtualServiceValidator.Destination(proxy, at.Child("egressProxy"), context);
        }
    }

    private static uint? Port(SidecarPort port, FieldPath path, ValidationContext context)
    {
        if (port.Number is null) context.Required(path.Child("number"));
        ValueRules.Port(port.Number, path.Child("number"), context);
        ValueRules.Port(port.TargetPort, path.Child("targetPort"), context);
        ProtocolRules.Validate(port.Protocol, path.Child("protocol"), context, required: false);
        return port.Number;
    }

    private static void Bind(string? bind, FieldPath path, ValidationContext context)
    {
        if (bind is { Length: > 0 } && !IpRules.IsIp(bind) && !bind.StartsWith("unix://", StringComparison.Ordinal))
            context.Invalid(path, bind, "bind must be an IP address or a unix:// socket path");
    }

    /// <summary>Where inbound traffic is forwarded: 127.0.0.1:PORT, 0.0.0.0:PORT, [::1]:PORT or unix:///path.</summary>
    private static string? DefaultEndpointProblem(string endpoint)
    {
        if (endpoint.StartsWith("unix://", StringComparison.Ordinal)) return endpoint.Length > 7 ? null : "a unix:// endpoint needs a path";
        var colon = endpoint.LastIndexOf(':');
        if (colon < 0) return "defaultEndpoint is written as 127.0.0.1:PORT, 0.0.0.0:PORT or unix:///path";
        var host = endpoint[..colon].Trim('[', ']');
        if (host is not ("127.0.0.1" or "0.0.0.0" or "::1" or "::") && !host.StartsWith('$'))
            return "defaultEndpoint's host must be 127.0.0.1, 0.0.0.0, [::1] or [::]";
        return uint.TryParse(endpoint[(colon + 1)..], System.Globalization.CultureInfo.InvariantCulture, out var port) && port is > 0 and <= 65535
            ? null
            : ValueRules.PortRange;
    }
}
