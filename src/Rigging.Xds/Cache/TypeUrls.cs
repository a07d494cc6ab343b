namespace Rigging.Xds.Cache;

/// <summary>The type URLs of the xDS resources we serve, and the order that keeps updates make-before-break.</summary>
public static class TypeUrls
{
    private const string Prefix = "type.googleapis.com/";

    public const string Listener = Prefix + "envoy.config.listener.v3.Listener";
    public const string RouteConfiguration = Prefix + "envoy.config.route.v3.RouteConfiguration";
    public const string Cluster = Prefix + "envoy.config.cluster.v3.Cluster";
    public const string ClusterLoadAssignment = Prefix + "envoy.config.endpoint.v3.ClusterLoadAssignment";
    public const string Secret = Prefix + "envoy.extensions.transport_sockets.tls.v3.Secret";

    /// <summary>
    /// Secrets before the clusters and listeners that use them, clusters and endpoints before the listeners and
    /// routes that point at them: a client never sees a route to a cluster it does not have yet.
    /// </summary>
    public static IReadOnlyList<string> ResponseOrder { get; } = [Secret, Cluster, ClusterLoadAssignment, Listener, RouteConfiguration];

    /// <summary>Types where an empty first subscription means "everything" (Envoy's legacy wildcard).</summary>
    public static bool IsWildcardType(string typeUrl) => typeUrl is Listener or Cluster;

    public static bool IsKnown(string typeUrl) => typeUrl is Listener or RouteConfiguration or Cluster or ClusterLoadAssignment or Secret;

    /// <summary>"Listener" for the full URL, for messages and logs.</summary>
    public static string ShortName(string typeUrl) => typeUrl[(typeUrl.LastIndexOf('.') + 1)..];
}
