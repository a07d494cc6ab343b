using System.Collections.Immutable;
using Microsoft.AspNetCore.Http;

namespace Rigging.Proxy.Routing;

/// <summary>A compiled VirtualHost: domains and ordered routes; the first route that matches wins.</summary>
public sealed record VirtualHostModel(string Name, ImmutableArray<string> Domains, ImmutableArray<RouteModel> Routes)
{
    public HeaderMutation RequestHeaders { get; init; } = HeaderMutation.None;

    public HeaderMutation ResponseHeaders { get; init; } = HeaderMutation.None;

    public RetryPolicyModel? Retry { get; init; }

    /// <summary>require_tls: plain-text requests are redirected to https (301) before routing.</summary>
    public TlsRequirement RequireTls { get; init; }

    public RouteModel? Match(HttpRequest request)
    {
        var path = request.Path.Value ?? "/";
        foreach (var route in Routes)
        {
            if (route.Match.Matches(request, path)) return route;
        }
        return null;
    }

    /// <summary>True when this request must be redirected to https first (Envoy's require_tls).</summary>
    public bool NeedsTlsRedirect(HttpRequest request) => RequireTls switch
    {
        TlsRequirement.All => !request.IsHttps,
        // Envoy calls a request internal when the connection manager set x-envoy-internal: true.
        TlsRequirement.ExternalOnly => !request.IsHttps && request.Headers["x-envoy-internal"] != "true",
        _ => false,
    };
}

/// <summary>Envoy's VirtualHost.TlsRequirementType.</summary>
public enum TlsRequirement
{
    None,
    ExternalOnly,
    All,
}
