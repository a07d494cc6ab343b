namespace Rigging.Proxy.Http.Filters.Jwt;

/// <summary>A token that passed one provider's checks: where it was, which provider accepted it, what it says.</summary>
public sealed record VerifiedJwt(ExtractedJwt Token, JwtProviderModel Provider, ParsedJwt Jwt);
