using System.Collections.Immutable;
using Microsoft.AspNetCore.Http;

namespace Rigging.Proxy.Routing;

/// <summary>A compiled VirtualHost: domains and ordered routes; the first route that matches wins.</summary>
public sealed record VirtualHostModel(string Name, ImmutableArray<string> Domains, ImmutableArray<RouteModel> Routes)
{
    public HeaderMutation RequestHeaders { get; init; } = HeaderMutation.None;

    public HeaderMutation ResponseHeaders { get; init; } = HeaderMutation.None;

    public RetryPolicyModel? Retry { get; init; }

    public RouteModel? Match(HttpRequest request)
    {
        var path = request.Path.Value ?? "/";
        foreach (var route in Routes)
        {
            if (route.Match.Matches(request, path)) return route;
        }
        return null;
    }
}
