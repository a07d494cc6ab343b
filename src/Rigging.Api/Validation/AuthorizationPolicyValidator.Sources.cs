using Rigging.Api.Security;

namespace Rigging.Api.Validation;

internal sealed partial class AuthorizationPolicyValidator
{
    private const int MaxServiceAccounts = 16;

    private static void ValidateSource(Source source, FieldPath path, bool custom, ValidationContext context)
    {
        if (source is
            {
                Principals: null or [], NotPrincipals: null or [], RequestPrincipals: null or [], NotRequestPrincipals: null or [],
                Namespaces: null or [], NotNamespaces: null or [], ServiceAccounts: null or [], NotServiceAccounts: null or [],
                IpBlocks: null or [], NotIpBlocks: null or [], RemoteIpBlocks: null or [], NotRemoteIpBlocks: null or [],
                TrustDomains: null or [], NotTrustDomains: null or [],
            })
        {
            context.Error(path, "must not be empty: set at least one of principals, requestPrincipals, namespaces, serviceAccounts, ipBlocks, remoteIpBlocks, trustDomains or their not- forms");
        }

        // Service accounts name the identity one way; principals and namespaces another, and they cannot be combined.
        if ((source.ServiceAccounts is not null || source.NotServiceAccounts is not null)
            && (source.Principals is not null || source.NotPrincipals is not null || source.Namespaces is not null || source.NotNamespaces is not null))
            context.Rule(path, "Cannot set serviceAccounts with namespaces or principals; put them in separate from entries");

        NotEmpty(source.Principals, path.Child("principals"), context);
        NotEmpty(source.NotPrincipals, path.Child("notPrincipals"), context);
        NotEmpty(source.RequestPrincipals, path.Child("requestPrincipals"), context);
        NotEmpty(source.NotRequestPrincipals, path.Child("notRequestPrincipals"), context);
        NotEmpty(source.Namespaces, path.Child("namespaces"), context);
        NotEmpty(source.NotNamespaces, path.Child("notNamespaces"), context);
        ServiceAccounts(source.ServiceAccounts, path.Child("serviceAccounts"), context);
        ServiceAccounts(source.NotServiceAccounts, path.Child("notServiceAccounts"), context);
        IpBlocks(source.IpBlocks, path.Child("ipBlocks"), context);
        IpBlocks(source.NotIpBlocks, path.Child("notIpBlocks"), context);
        IpBlocks(source.RemoteIpBlocks, path.Child("remoteIpBlocks"), context);
        IpBlocks(source.NotRemoteIpBlocks, path.Child("notRemoteIpBlocks"), context);
        TrustDomains(source.TrustDomains, path.Child("trustDomains"), context);
        TrustDomains(source.NotTrustDomains, path.Child("notTrustDomains"), context);

        if (!custom) return;
        // An external authorizer is called before the peer identity checks, so identity fields cannot be used.
        UnsupportedWithCustom(source.Namespaces, path.Child("namespaces"), context);
        UnsupportedWithCustom(source.NotNamespaces, path.Child("notNamespaces"), context);
        UnsupportedWithCustom(source.ServiceAccounts, path.Child("serviceAccounts"), context);
        UnsupportedWithCustom(source.NotServiceAccounts, path.Child("notServiceAccounts"), context);
        UnsupportedWithCustom(source.TrustDomains, path.Child("trustDomains"), context);
        UnsupportedWithCustom(source.NotTrustDomains, path.Child("notTrustDomains"), context);
        UnsupportedWithCustom(source.Principals, path.Child("principals"), context);
        UnsupportedWithCustom(source.NotPrincipals, path.Child("notPrincipals"), context);
        UnsupportedWithCustom(source.RequestPrincipals, path.Child("requestPrincipals"), context);
        UnsupportedWithCustom(source.NotRequestPrincipals, path.Child("notRequestPrincipals"), context);
    }

    private static void ValidateOperation(Operation operation, FieldPath path, ValidationContext context)
    {
        if (operation is
            {
                Hosts: null or [], NotHosts: null or [], Ports: null or [], NotPorts: null or [],
                Methods: null or [], NotMethods: null or [], Paths: null or [], NotPaths: null or [],
            })
        {
            context.Error(path, "must not be empty: set at least one of hosts, ports, methods, paths or their not- forms");
        }
        NotEmpty(operation.Hosts, path.Child("hosts"), context);
        NotEmpty(operation.NotHosts, path.Child("notHosts"), context);
        NotEmpty(operation.Methods, path.Child("methods"), context);
        NotEmpty(operation.NotMethods, path.Child("notMethods"), context);
        Ports(operation.Ports, path.Child("ports"), context);
        Ports(operation.NotPorts, path.Child("notPorts"), context);
        Paths(operation.Paths, path.Child("paths"), context);
        Paths(operation.NotPaths, path.Child("notPaths"), context);
    }

    private static void UnsupportedWithCustom(IReadOnlyList<string>? values, FieldPath path, ValidationContext context)
    {
        if (values is { Count: > 0 })
            context.Error(path, "is not supported with action CUSTOM: the external authorizer runs before peer and request authentication");
    }

    /// <summary>Empty strings match nothing useful; Istio rejects them in every match list.</summary>
    private static bool NotEmpty(IReadOnlyList<string>? values, FieldPath path, ValidationContext context)
    {
        var ok = true;
        for (var i = 0; values is not null && i < values.Count; i++)
        {
            if (!string.IsNullOrEmpty(values[i])) continue;
            context.Invalid(path.Index(i), "", "empty value not allowed; use \"*\" to match any value");
            ok = false;
        }
        return ok;
    }

    private static void ServiceAccounts(IReadOnlyList<string>? values, FieldPath path, ValidationContext context)
    {
        if (values is null) return;
        if (values.Count > MaxServiceAccounts)
            context.Error(path, $"Too many: {values.Count}: must have at most {MaxServiceAccounts} items");
        for (var i = 0; i < values.Count; i++)
        {
            if (ServiceAccountProblem(values[i]) is { } problem) context.Invalid(path.Index(i), values[i] ?? "", problem);
        }
    }

    /// <summary>"name" or "namespace/name", exact (no wildcard), at most 320 characters.</summary>
    private static string? ServiceAccountProblem(string? value)
    {
        if (string.IsNullOrEmpty(value)) return "empty value not allowed";
        if (value.Contains('*')) return "wildcards are not allowed in service accounts";
        if (value.Length > 320) return "must be at most 320 characters";
        var parts = value.Split('/');
        if (parts.Length > 2 || parts.Any(p => p.Length == 0))
            return "expected format 'serviceAccount' or 'namespace/serviceAccount'";
        return null;
    }

    private static void IpBlocks(IReadOnlyList<string>? values, FieldPath path, ValidationContext context)
    {
        if (!NotEmpty(values, path, context)) return;
        for (var i = 0; values is not null && i < values.Count; i++)
        {
            if (!IpRules.IsIpOrCidr(values[i])) context.Invalid(path.Index(i), values[i], IpRules.IpOrCidrHint);
        }
    }

    private static void TrustDomains(IReadOnlyList<string>? values, FieldPath path, ValidationContext context)
    {
        if (!NotEmpty(values, path, context)) return;
        for (var i = 0; values is not null && i < values.Count; i++)
        {
            if (WildcardProblem(values[i]) is { } problem) context.Invalid(path.Index(i), values[i], problem);
            else if (values[i].Contains('/')) context.Invalid(path.Index(i), values[i], "a trust domain must not contain '/'");
        }
    }

    /// <summary>Exact, prefix ("a*"), suffix ("*a") or presence ("*") matches only.</summary>
    private static string? WildcardProblem(string value)
    {
        var count = value.Count(c => c == '*');
        if (count > 1) return "at most one wildcard is allowed";
        if (count == 1 && !value.StartsWith('*') && !value.EndsWith('*')) return "a wildcard is only allowed at the start or end";
        return null;
    }

    private static void Ports(IReadOnlyList<string>? values, FieldPath path, ValidationContext context)
    {
        if (!NotEmpty(values, path, context)) return;
        for (var i = 0; values is not null && i < values.Count; i++)
        {
            if (!IsPort(values[i])) context.Invalid(path.Index(i), values[i], "must be a port number between 0 and 65535, written as a string such as \"8080\"");
        }
    }

    private static bool IsPort(string value) =>
        uint.TryParse(value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var port) && port <= 65535;
}
