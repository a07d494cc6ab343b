using System.Text.Json;

namespace Rigging.Proxy.Security;

/// <summary>
/// The caller a verified JWT names (Istio's <c>request.auth.*</c> attributes, which Envoy keeps in the
/// <c>istio_authn</c> dynamic metadata): principal <c>iss/sub</c>, audiences, presenter (<c>azp</c>) and every
/// claim. Set per request by the JWT filter as a feature; authorization reads it through
/// <c>HttpContext.Features.Get&lt;RequestPrincipal&gt;()</c>. Absent when the request carried no valid token.
/// </summary>
public sealed record RequestPrincipal(string Principal, string Issuer, string Subject, IReadOnlyList<string> Audiences, string? Presenter, JsonElement Claims)
{
    /// <summary>The dynamic metadata namespace Istio's authorization rules match against.</summary>
    public const string MetadataNamespace = "istio_authn";
}
