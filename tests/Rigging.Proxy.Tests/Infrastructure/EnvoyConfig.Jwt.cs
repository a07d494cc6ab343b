using Envoy.Config.Core.V3;
using Envoy.Config.Route.V3;
using Envoy.Extensions.Filters.Http.JwtAuthn.V3;
using Envoy.Extensions.Filters.Network.HttpConnectionManager.V3;
using Google.Protobuf.WellKnownTypes;

namespace Rigging.Proxy.Tests.Infrastructure;

/// <summary>Builders for jwt_authn tests, in the shape Istio gives a RequestAuthentication.</summary>
internal static partial class EnvoyConfig
{
    public const string JwtFilterName = "envoy.filters.http.jwt_authn";

    public static HttpFilter JwtFilter(JwtAuthentication config) => new() { Name = JwtFilterName, TypedConfig = Any.Pack(config) };

    /// <summary>Istio's shape: every provider, one rule for "/" requiring any of them or none (allow_missing).</summary>
    public static JwtAuthentication IstioJwt(params (string Name, JwtProvider Provider)[] providers)
    {
        var config = new JwtAuthentication();
        var any = new JwtRequirementOrList();
        foreach (var (name, provider) in providers)
        {
            config.Providers[name] = provider;
            any.Requirements.Add(new JwtRequirement { ProviderName = name });
        }
        any.Requirements.Add(new JwtRequirement { AllowMissing = new Empty() });
        config.Rules.Add(new RequirementRule { Match = new RouteMatch { Prefix = "/" }, Requires = new JwtRequirement { RequiresAny = any } });
        return config;
    }

    public static JwtProvider LocalJwtProvider(string issuer, string jwks, params string[] audiences)
    {
        var provider = new JwtProvider { Issuer = issuer, LocalJwks = new DataSource { InlineString = jwks }, Forward = true };
        provider.Audiences.AddRange(audiences);
        return provider;
    }

    public static JwtProvider RemoteJwtProvider(string issuer, string uri, TimeSpan timeout, TimeSpan? cache = null) => new()
    {
        Issuer = issuer,
        Forward = true,
        RemoteJwks = new RemoteJwks
        {
            HttpUri = new HttpUri { Uri = uri, Cluster = "jwks", Timeout = Duration.FromTimeSpan(timeout) },
            CacheDuration = cache is { } c ? Duration.FromTimeSpan(c) : null,
        },
    };
}
