using Envoy.Extensions.Filters.Network.HttpConnectionManager.V3;
using Rigging.ControlPlane.Model;
using Rigging.ControlPlane.Translation.Security.Authorization;
using Rigging.ControlPlane.Translation.Security.Jwt;

namespace Rigging.ControlPlane.Translation.Security;

/// <summary>
/// The security HTTP filters a proxy's server side runs before fault and router, in Istio's order: JWT
/// authentication (RequestAuthentication), then authorization (AuthorizationPolicy: CUSTOM, DENY, ALLOW).
/// </summary>
internal static class PolicyFilters
{
    /// <summary>For a sidecar's inbound listener.</summary>
    public static IEnumerable<HttpFilter> Inbound(ProxyView proxy, PushContext push) => JwtFilters.For(proxy, push).Concat(AuthorizationFilters.Inbound(proxy, push));

    /// <summary>For a gateway's listeners (policies select gateways by their labels too).</summary>
    public static IEnumerable<HttpFilter> Gateway(ProxyView proxy, PushContext push) => JwtFilters.For(proxy, push).Concat(AuthorizationFilters.Gateway(proxy, push));
}
