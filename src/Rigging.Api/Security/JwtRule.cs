using Rigging.Api.Model;

namespace Rigging.Api.Security;

/// <summary>How to find and check JWTs from one issuer.</summary>
public sealed record JwtRule
{
    public string? Issuer { get; init; }

    public IReadOnlyList<string>? Audiences { get; init; }

    public string? JwksUri { get; init; }

    public string? Jwks { get; init; }

    public IReadOnlyList<JwtHeader>? FromHeaders { get; init; }

    public IReadOnlyList<string>? FromParams { get; init; }

    public string? OutputPayloadToHeader { get; init; }

    public IReadOnlyList<string>? FromCookies { get; init; }

    public bool? ForwardOriginalToken { get; init; }

    public IReadOnlyList<ClaimToHeader>? OutputClaimToHeaders { get; init; }

    public Duration? Timeout { get; init; }

    public IReadOnlyList<string>? SpaceDelimitedClaims { get; init; }

    /// <summary>Whether a token for this rule must be present (istio/api#3737).</summary>
    public JwtRequirement? Presence { get; init; }
}
