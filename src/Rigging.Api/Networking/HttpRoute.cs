using Rigging.Api.Model;

namespace Rigging.Api.Networking;

/// <summary>One HTTP route: match conditions and what to do with matching requests.</summary>
public sealed record HttpRoute
{
    public string? Name { get; init; }

    public IReadOnlyList<HttpMatchRequest>? Match { get; init; }

    public IReadOnlyList<HttpRouteDestination>? Route { get; init; }

    public HttpRedirect? Redirect { get; init; }

    public HttpDirectResponse? DirectResponse { get; init; }

    public RouteDelegate? Delegate { get; init; }

    public HttpRewrite? Rewrite { get; init; }

    /// <summary>Removed from Istio long ago (websockets need no flag); kept only so old YAML binds and can be reported.</summary>
    public bool? WebsocketUpgrade { get; init; }

    public Duration? Timeout { get; init; }

    public HttpRetry? Retries { get; init; }

    public HttpFaultInjection? Fault { get; init; }

    public Destination? Mirror { get; init; }

    public IReadOnlyList<HttpMirrorPolicy>? Mirrors { get; init; }

    /// <summary>Deprecated: use MirrorPercentage.</summary>
    public uint? MirrorPercent { get; init; }

    public Percent? MirrorPercentage { get; init; }

    public CorsPolicy? CorsPolicy { get; init; }

    public Headers? Headers { get; init; }
}
