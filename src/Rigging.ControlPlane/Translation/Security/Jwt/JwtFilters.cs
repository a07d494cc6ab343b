using Envoy.Extensions.Filters.Network.HttpConnectionManager.V3;
using Google.Protobuf.WellKnownTypes;
using Rigging.ControlPlane.Model;

namespace Rigging.ControlPlane.Translation.Security.Jwt;

/// <summary>
/// RequestAuthentication → envoy.filters.http.jwt_authn for a proxy's server side (sidecar inbound and gateways):
/// the jwtRules of every policy that applies, merged into one filter, which runs first among the security filters.
/// None applies, no filter (requests pass untouched, as in Istio).
/// </summary>
internal static class JwtFilters
{
    public const string Name = "envoy.filters.http.jwt_authn";

    public static IEnumerable<HttpFilter> For(ProxyView proxy, PushContext push)
    {
        var config = JwtAuthnBuilder.Build(push.RequestAuthenticationsFor(proxy), push);
        if (config is null) yield break;
        yield return new HttpFilter { Name = Name, TypedConfig = Any.Pack(config) };
    }
}
