using Rigging.Api.Networking;

namespace Rigging.ControlPlane.Translation;

/// <summary>Istio's CorsPolicy → Envoy's route CorsPolicy.</summary>
internal static class CorsTranslator
{
    public static Envoy.Config.Route.V3.CorsPolicy Translate(Api.Networking.CorsPolicy cors)
    {
        var policy = new Envoy.Config.Route.V3.CorsPolicy
        {
            AllowMethods = string.Join(',', cors.AllowMethods ?? []),
            AllowHeaders = string.Join(',', cors.AllowHeaders ?? []),
            ExposeHeaders = string.Join(',', cors.ExposeHeaders ?? []),
        };
        if (cors.MaxAge is { } maxAge) policy.MaxAge = ((long)maxAge.Value.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (cors.AllowCredentials is { } credentials) policy.AllowCredentials = credentials;
        foreach (var origin in cors.AllowOrigins ?? [])
        {
            if (origin is not null) policy.AllowOriginStringMatch.Add(MatchTranslator.String(origin));
        }
        foreach (var origin in cors.AllowOrigin ?? [])
        {
            if (origin is not null) policy.AllowOriginStringMatch.Add(origin == "*" ? new Envoy.Type.Matcher.V3.StringMatcher { Prefix = "" } : new Envoy.Type.Matcher.V3.StringMatcher { Exact = origin });
        }
        return policy;
    }
}
