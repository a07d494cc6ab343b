using Envoy.Config.Core.V3;
using Envoy.Config.Route.V3;
using Envoy.Extensions.Filters.Http.JwtAuthn.V3;
using Rigging.Api.Model;
using Rigging.Api.Security;
using EnvoyJwtHeader = Envoy.Extensions.Filters.Http.JwtAuthn.V3.JwtHeader;
using EnvoyRequirement = Envoy.Extensions.Filters.Http.JwtAuthn.V3.JwtRequirement;
using ProtoDuration = Google.Protobuf.WellKnownTypes.Duration;

namespace Rigging.ControlPlane.Translation.Security.Jwt;

/// <summary>
/// jwtRules → JwtAuthentication in Istio's shape (pilot's convertToEnvoyJwtConfig): one provider per rule named
/// origins-N, one rule for "/" that requires, with one provider, {provider OR allow_missing}; with several,
/// {P0 OR P1 ... OR AND({P0 OR allow_missing}, {P1 OR allow_missing}, ...)}, so a missing token passes, any
/// invalid one fails, and providers sharing a location (the Authorization header) do not refuse each other's
/// tokens. CORS preflights bypass the filter.
/// jwks is sent inline; jwksUri becomes remote_jwks and the proxy fetches and caches the keys itself (Istio's
/// default is for istiod to fetch them and inline them; here a key rotation at the issuer reaches proxies without
/// a push). The locations left empty get Envoy's defaults: Authorization "Bearer " and ?access_token=.
/// </summary>
internal static class JwtAuthnBuilder
{
    /// <summary>Istio's jwtRule timeout default and its remote JWKS cache duration.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(5);

    public static readonly TimeSpan CacheDuration = TimeSpan.FromMinutes(5);

    /// <summary>What a rule with neither jwks nor jwksUri gets: no keys, so its tokens are refused (Istio inlines a key nobody holds).</summary>
    public const string NoKeys = "{\"keys\":[]}";

    public static JwtAuthentication? Build(IEnumerable<(Resource Resource, RequestAuthentication Policy)> policies, PushContext push)
    {
        var config = new JwtAuthentication { BypassCorsPreflight = true };
        var outer = new JwtRequirementOrList();
        var inner = new JwtRequirementAndList();
        foreach (var (resource, policy) in policies)
        {
            foreach (var rule in policy.JwtRules ?? [])
            {
                var name = $"origins-{config.Providers.Count}";
                config.Providers[name] = Provider(rule, resource, push);
                var eitherOr = new JwtRequirementOrList { Requirements = { Named(name), new EnvoyRequirement { AllowMissing = new() } } };
                inner.Requirements.Add(new EnvoyRequirement { RequiresAny = eitherOr });
                outer.Requirements.Add(Named(name));
            }
        }
        if (config.Providers.Count == 0) return null;
        EnvoyRequirement requires;
        if (inner.Requirements.Count == 1) requires = inner.Requirements[0];
        else
        {
            outer.Requirements.Add(new EnvoyRequirement { RequiresAll = inner });
            requires = new EnvoyRequirement { RequiresAny = outer };
        }
        config.Rules.Add(new RequirementRule { Match = new RouteMatch { Prefix = "/" }, Requires = requires });
        return config;
    }

    private static EnvoyRequirement Named(string provider) => new() { ProviderName = provider };

    private static JwtProvider Provider(JwtRule rule, Resource resource, PushContext push)
    {
        var provider = new JwtProvider
        {
            Issuer = rule.Issuer ?? "",
            Forward = rule.ForwardOriginalToken ?? false,
            ForwardPayloadHeader = rule.OutputPayloadToHeader ?? "",
            PayloadInMetadata = rule.Issuer ?? "",
        };
        provider.Audiences.AddRange(rule.Audiences ?? []);
        foreach (var header in rule.FromHeaders ?? [])
            provider.FromHeaders.Add(new EnvoyJwtHeader { Name = header.Name ?? "", ValuePrefix = header.Prefix ?? "" });
        provider.FromParams.AddRange(rule.FromParams ?? []);
        provider.FromCookies.AddRange(rule.FromCookies ?? []);
        foreach (var claim in rule.OutputClaimToHeaders ?? [])
            provider.ClaimToHeaders.Add(new JwtClaimToHeader { HeaderName = claim.Header ?? "", ClaimName = claim.Claim ?? "" });

        if (!string.IsNullOrEmpty(rule.Jwks)) provider.LocalJwks = new DataSource { InlineString = rule.Jwks };
        else if (!string.IsNullOrEmpty(rule.JwksUri) && Uri.TryCreate(rule.JwksUri, UriKind.Absolute, out var uri))
        {
            provider.RemoteJwks = new RemoteJwks
            {
                HttpUri = new HttpUri
                {
                    Uri = rule.JwksUri,
                    // Envoy's shape names the cluster that reaches the issuer; our proxy fetches the URI directly.
                    Cluster = $"outbound|{uri.Port}||{uri.Host}",
                    Timeout = ProtoDuration.FromTimeSpan(rule.Timeout?.Value ?? DefaultTimeout),
                },
                CacheDuration = ProtoDuration.FromTimeSpan(CacheDuration),
            };
        }
        else
        {
            push.Issues[$"{resource.DisplayName}/jwtRules/{rule.Issuer}"] =
                $"{resource.DisplayName}: jwtRule for issuer {rule.Issuer} has neither jwks nor jwksUri (OpenID discovery is not supported); its tokens are refused";
            provider.LocalJwks = new DataSource { InlineString = NoKeys };
        }
        return provider;
    }
}
