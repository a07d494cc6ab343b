namespace Rigging.ControlPlane.Translation.Security.Authorization;

/// <summary>MeshConfig's envoyExtAuthzHttp: an HTTP authorization service in the mesh, with Istio's field names.</summary>
public sealed record EnvoyExtAuthzHttpProvider
{
    /// <summary>The service's host ("ext-authz.foo.svc.cluster.local", or "foo/ext-authz.foo.svc.cluster.local").</summary>
    public required string Service { get; init; }

    public required int Port { get; init; }

    /// <summary>Istio's default is 600 s.</summary>
    public TimeSpan? Timeout { get; init; }

    public string PathPrefix { get; init; } = "";

    public bool FailOpen { get; init; }

    /// <summary>An HTTP status code as text ("503"); empty means Envoy's 403.</summary>
    public string StatusOnError { get; init; } = "";

    public IReadOnlyList<string> IncludeRequestHeadersInCheck { get; init; } = [];

    public IReadOnlyDictionary<string, string> IncludeAdditionalHeadersInCheck { get; init; } = new Dictionary<string, string>();

    public IReadOnlyList<string> HeadersToUpstreamOnAllow { get; init; } = [];

    public IReadOnlyList<string> HeadersToDownstreamOnDeny { get; init; } = [];

    public IReadOnlyList<string> HeadersToDownstreamOnAllow { get; init; } = [];
}
