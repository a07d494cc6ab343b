namespace Rigging.Api.Validation;

/// <summary>Whether one host name covers another, with Istio's wildcard and short-name rules.</summary>
internal static class HostMatching
{
    /// <summary>True when every name <paramref name="inner"/> matches is also matched by <paramref name="outer"/>.</summary>
    public static bool Covers(string outer, string inner, string ns)
    {
        outer = Qualify(outer, ns);
        inner = Qualify(inner, ns);
        if (outer == "*" || string.Equals(outer, inner, StringComparison.OrdinalIgnoreCase)) return true;
        if (!outer.StartsWith('*')) return false;
        var suffix = outer[1..];
        var innerSuffix = inner.StartsWith('*') ? inner[1..] : inner;
        return innerSuffix.EndsWith(suffix, StringComparison.OrdinalIgnoreCase) && innerSuffix.Length >= suffix.Length;
    }

    /// <summary>A short name (<c>reviews</c>) means the service in the resource's namespace.</summary>
    public static string Qualify(string host, string ns) =>
        host.Contains('.') || host.Contains('*') ? host : $"{host}.{ns}.svc.cluster.local";
}
