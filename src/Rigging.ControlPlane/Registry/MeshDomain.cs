namespace Rigging.ControlPlane.Registry;

/// <summary>Names of Kubernetes services in the mesh: name.namespace.svc.cluster.local.</summary>
public static class MeshDomain
{
    public const string ClusterDomain = "cluster.local";

    public static string ServiceHost(string name, string ns) => $"{name}.{ns}.svc.{ClusterDomain}";

    /// <summary>
    /// Resolves a host as written in a resource of <paramref name="ns"/>: "reviews" → reviews.ns.svc.cluster.local,
    /// "reviews.other" → reviews.other.svc.cluster.local; FQDNs and wildcards stay as written.
    /// </summary>
    public static string Resolve(string host, string ns)
    {
        if (host.Contains('*')) return host;
        var dots = host.Count(c => c == '.');
        return dots switch
        {
            0 => ServiceHost(host, ns),
            1 => $"{host}.svc.{ClusterDomain}",
            _ when host.EndsWith(".svc", StringComparison.Ordinal) => $"{host}.{ClusterDomain}",
            _ => host,
        };
    }
}
