namespace Rigging.Api.Validation;

/// <summary>Istio's rules for host names: FQDNs, short names, wildcards (<c>*.example.com</c>) and IPs.</summary>
internal static class HostRules
{
    /// <summary>Istio's ValidateWildcardDomain: a DNS name whose first label may be <c>*</c> or start with <c>*</c>.</summary>
    public static string? WildcardDomainProblem(string host)
    {
        if (host.Length == 0) return "domain name must not be empty";
        if (host.Length > 255) return "domain name is longer than 255 characters";
        if (host == "*") return null;
        // Only the first label may hold a wildcard, and only as its first character: *.example.com, *-api.example.com.
        var dot = host.IndexOf('.');
        var first = dot < 0 ? host : host[..dot];
        var rest = dot < 0 ? null : host[(dot + 1)..];
        var plain = first.StartsWith('*') ? first[1..] : first;
        if (plain.Contains('*') || (rest?.Contains('*') ?? false)) return "a wildcard may only start the first label, as in *.example.com";
        if (plain.Length > 0 && Dns1123LabelsProblem(plain) is { } problem) return problem;
        return rest is null ? null : Dns1123LabelsProblem(rest);
    }

    /// <summary>Each dot-separated label is an RFC 1123 label (letters of either case, digits, '-'); a trailing dot is allowed.</summary>
    public static string? Dns1123LabelsProblem(string domain)
    {
        if (domain.EndsWith('.')) domain = domain[..^1];
        if (domain.Length == 0) return "domain name must not be empty";
        foreach (var label in domain.Split('.'))
        {
            if (label.Length == 0) return "domain name must not have empty labels";
            if (label.Length > 63) return $"label \"{label}\" is longer than 63 characters";
            if (!IsLabel(label)) return $"label \"{label}\" must consist of alphanumeric characters or '-', and start and end with an alphanumeric character";
        }
        return null;
    }

    /// <summary>A reference to a Gateway: <c>mesh</c>, <c>name</c> or <c>namespace/name</c>.</summary>
    public static string? GatewayNameProblem(string gateway)
    {
        if (gateway == "mesh") return null;
        var parts = gateway.Split('/');
        if (parts.Length > 2) return "a gateway is named \"name\" or \"namespace/name\"";
        if (parts.Length == 2 && !KubernetesNames.IsDns1123Label(parts[0])) return $"namespace \"{parts[0]}\" is not a valid RFC 1123 label";
        var name = parts[^1];
        return KubernetesNames.IsDns1123Subdomain(name) ? null : $"gateway name \"{name}\" is not a valid RFC 1123 subdomain";
    }

    private static bool IsLabel(string label)
    {
        if (!char.IsAsciiLetterOrDigit(label[0]) || !char.IsAsciiLetterOrDigit(label[^1])) return false;
        foreach (var c in label)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c != '-') return false;
        }
        return true;
    }
}
