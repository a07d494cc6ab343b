namespace Rigging.Proxy.Http.Filters.Jwt;

/// <summary>from_headers: a header that carries a token after <see cref="Prefix"/> (e.g. Authorization, "Bearer ").</summary>
public sealed record JwtHeaderLocation(string Name, string Prefix);
