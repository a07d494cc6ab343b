using System.Collections.Immutable;
using Rigging.Proxy.Routing;

namespace Rigging.Proxy.Http.Filters.Cors;

/// <summary>
/// A route's CORS policy in effect: the route's, virtual host's and route configuration's policies merged field by
/// field, the most specific set value winning (as Envoy's CORS filter reads them); enablement comes from the most
/// specific policy alone.
/// </summary>
public sealed record CorsPolicyModel
{
    /// <summary>The per-filter config key Envoy's CORS filter is registered under.</summary>
    public const string FilterName = "envoy.filters.http.cors";

    public ImmutableArray<StringMatcherModel> AllowOrigins { get; init; } = [];

    public string? AllowMethods { get; init; }

    public string? AllowHeaders { get; init; }

    public string? ExposeHeaders { get; init; }

    public string? MaxAge { get; init; }

    public bool? AllowCredentials { get; init; }

    /// <summary>filter_enabled as a fraction (1 when unset).</summary>
    public double Enabled { get; init; } = 1;

    /// <summary>Fills what this (more specific) policy leaves unset from <paramref name="outer"/>.</summary>
    public CorsPolicyModel Over(CorsPolicyModel outer) => this with
    {
        AllowOrigins = AllowOrigins.IsEmpty ? outer.AllowOrigins : AllowOrigins,
        AllowMethods = AllowMethods ?? outer.AllowMethods,
        AllowHeaders = AllowHeaders ?? outer.AllowHeaders,
        ExposeHeaders = ExposeHeaders ?? outer.ExposeHeaders,
        MaxAge = MaxAge ?? outer.MaxAge,
        AllowCredentials = AllowCredentials ?? outer.AllowCredentials,
    };

    /// <summary>Envoy allows an origin when a matcher matches it, or matches "*" (allow all).</summary>
    public bool AllowsOrigin(string origin)
    {
        foreach (var matcher in AllowOrigins)
        {
            if (matcher.Matches("*") || matcher.Matches(origin)) return true;
        }
        return false;
    }
}
