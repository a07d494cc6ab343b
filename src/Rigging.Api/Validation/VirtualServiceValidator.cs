using Rigging.Api.Model;
using Rigging.Api.Networking;

namespace Rigging.Api.Validation;

/// <summary>Istio's rules for a VirtualService: hosts, gateways, and its HTTP, TLS and TCP routes.</summary>
internal sealed partial class VirtualServiceValidator : SpecValidator<VirtualService>
{
    protected override void Validate(VirtualService spec, Resource resource, ValidationContext context)
    {
        var spath = FieldPath.Spec;
        var hosts = spec.Hosts ?? [];
        var gateways = spec.Gateways ?? [];
        // A VirtualService without hosts is a delegate: another VirtualService's route hands a path prefix to it.
        var isDelegate = hosts.Count == 0;
        var appliesToMesh = gateways.Count == 0 || gateways.Contains("mesh");

        if (isDelegate)
        {
            if (gateways.Count > 0) context.Invalid(spath.Child("gateways"), gateways[0], "a delegate virtual service (one without hosts) must have no gateways");
            if (spec.Tls is { Count: > 0 }) context.Invalid(spath.Child("tls"), "tls", "a delegate virtual service (one without hosts) must have no tls routes");
            if (spec.Tcp is { Count: > 0 }) context.Invalid(spath.Child("tcp"), "tcp", "a delegate virtual service (one without hosts) must have no tcp routes");
        }

        for (var i = 0; i < hosts.Count; i++)
        {
            var host = hosts[i];
            if (host is null) continue;
            var at = spath.Child("hosts").Index(i);
            if (host == "*" && appliesToMesh)
                context.Invalid(at, host, "wildcard host * is not allowed for virtual services bound to the mesh gateway");
            else if (!IpRules.IsIp(host) && HostRules.WildcardDomainProblem(host) is { } problem)
                context.Invalid(at, host, problem);
        }

        for (var i = 0; i < gateways.Count; i++)
        {
            if (gateways[i] is { } gateway && HostRules.GatewayNameProblem(gateway) is { } problem)
                context.Invalid(spath.Child("gateways").Index(i), gateway, problem);
        }

        if (spec.Http is not { Count: > 0 } && spec.Tls is not { Count: > 0 } && spec.Tcp is not { Count: > 0 })
            context.Required(spath.Child("http"), "http, tcp or tls must be provided in virtual service");

        var http = spec.Http ?? [];
        for (var i = 0; i < http.Count; i++)
        {
            if (http[i] is { } route) ValidateHttpRoute(route, isDelegate, spath.Child("http").Index(i), context);
        }
        var tls = spec.Tls ?? [];
        for (var i = 0; i < tls.Count; i++)
        {
            if (tls[i] is { } route) ValidateTlsRoute(route, hosts, resource.Namespace, spath.Child("tls").Index(i), context);
        }
        var tcp = spec.Tcp ?? [];
        for (var i = 0; i < tcp.Count; i++)
        {
            if (tcp[i] is { } route) ValidateTcpRoute(route, spath.Child("tcp").Index(i), context);
        }
        ExportToRules.Validate(spec.ExportTo, spath.Child("exportTo"), context);
    }

    private static void ValidateTlsRoute(TlsRoute route, IReadOnlyList<string> hosts, string ns, FieldPath path, ValidationContext context)
    {
        var matches = route.Match ?? [];
        if (matches.Count == 0) context.Required(path.Child("match"), "a TLS route must have at least one match condition");
        for (var i = 0; i < matches.Count; i++)
        {
            var match = matches[i];
            if (match is null) continue;
            var at = path.Child("match").Index(i);
            var sniHosts = match.SniHosts ?? [];
            if (sniHosts.Count == 0) context.Required(at.Child("sniHosts"), "a TLS match must have at least one SNI host");
            for (var j = 0; j < sniHosts.Count; j++)
            {
                var sni = sniHosts[j];
                if (sni is null) continue;
                if (HostRules.WildcardDomainProblem(sni) is { } problem) context.Invalid(at.Child("sniHosts").Index(j), sni, problem);
                else if (!hosts.Any(h => h is not null && HostMatching.Covers(h, sni, ns)))
                    context.Invalid(at.Child("sniHosts").Index(j), sni, $"the SNI host is not matched by any of the virtual service's hosts [{string.Join(", ", hosts)}]");
            }
            L4Match(match.DestinationSubnets, match.Port, null, match.SourceLabels, match.Gateways, match.SourceNamespace, at, context);
        }
        RouteDestinations(route.Route, path.Child("route"), context);
    }

    private static void ValidateTcpRoute(TcpRoute route, FieldPath path, ValidationContext context)
    {
        var matches = route.Match ?? [];
        for (var i = 0; i < matches.Count; i++)
        {
            if (matches[i] is { } m)
                L4Match(m.DestinationSubnets, m.Port, m.SourceSubnet, m.SourceLabels, m.Gateways, m.SourceNamespace, path.Child("match").Index(i), context);
        }
        RouteDestinations(route.Route, path.Child("route"), context);
    }

    private static void L4Match(IReadOnlyList<string>? subnets, uint? port, string? sourceSubnet, IReadOnlyDictionary<string, string>? sourceLabels,
        IReadOnlyList<string>? gateways, string? sourceNamespace, FieldPath path, ValidationContext context)
    {
        for (var i = 0; i < (subnets?.Count ?? 0); i++)
        {
            if (subnets![i] is { } subnet && !IpRules.IsIpOrCidr(subnet))
                context.Invalid(path.Child("destinationSubnets").Index(i), subnet, "must be an IP address or a CIDR block such as 10.0.0.0/8");
        }
        if (sourceSubnet is not null && !IpRules.IsIpOrCidr(sourceSubnet))
            context.Invalid(path.Child("sourceSubnet"), sourceSubnet, "must be an IP address or a CIDR block such as 10.0.0.0/8");
        CommonMatch(port, sourceLabels, gateways, sourceNamespace, path, context);
    }

    private static void CommonMatch(uint? port, IReadOnlyDictionary<string, string>? sourceLabels, IReadOnlyList<string>? gateways,
        string? sourceNamespace, FieldPath path, ValidationContext context)
    {
        ValueRules.Port(port, path.Child("port"), context);
        LabelRules.ValidateLabels(sourceLabels, path.Child("sourceLabels"), context);
        for (var i = 0; i < (gateways?.Count ?? 0); i++)
        {
            if (gateways![i] is { } gateway && HostRules.GatewayNameProblem(gateway) is { } problem)
                context.Invalid(path.Child("gateways").Index(i), gateway, problem);
        }
        if (sourceNamespace is not null && !KubernetesNames.IsDns1123Label(sourceNamespace))
            context.Invalid(path.Child("sourceNamespace"), sourceNamespace, KubernetesNames.Dns1123LabelMessage);
    }

    private static void RouteDestinations(IReadOnlyList<RouteDestination>? routes, FieldPath path, ValidationContext context)
    {
        if (routes is not { Count: > 0 })
        {
            context.Required(path, "a route needs at least one destination");
            return;
        }
        for (var i = 0; i < routes.Count; i++)
        {
            if (routes[i] is not { } route) continue;
            var at = path.Index(i);
            Destination(route.Destination, at.Child("destination"), context);
            if (route.Weight is < 0) context.Invalid(at.Child("weight"), route.Weight, "weight must not be negative");
        }
    }

    /// <summary>A destination names a host (no wildcard), optionally a subset and a port.</summary>
    public static void Destination(Destination? destination, FieldPath path, ValidationContext context)
    {
        if (destination is null)
        {
            context.Required(path);
            return;
        }
        if (string.IsNullOrEmpty(destination.Host)) context.Required(path.Child("host"));
        else if (destination.Host.Contains('*')) context.Invalid(path.Child("host"), destination.Host, "a destination host cannot be a wildcard");
        else if (!IpRules.IsIp(destination.Host) && HostRules.WildcardDomainProblem(destination.Host) is { } problem)
            context.Invalid(path.Child("host"), destination.Host, problem);
        if (destination.Subset is { } subset && !KubernetesNames.IsDns1123Label(subset))
            context.Invalid(path.Child("subset"), subset, "a subset name must be a valid RFC 1123 label");
        ValueRules.Port(destination.Port?.Number, path.Child("port").Child("number"), context);
    }
}
