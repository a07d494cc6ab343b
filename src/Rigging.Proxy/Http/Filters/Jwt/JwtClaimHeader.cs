namespace Rigging.Proxy.Http.Filters.Jwt;

/// <summary>claim_to_headers: copy claim <see cref="Claim"/> (a dotted path for nested claims) into header <see cref="Header"/>.</summary>
public sealed record JwtClaimHeader(string Header, string Claim);
