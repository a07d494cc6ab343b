namespace Rigging.Api.Security;

/// <summary>A header that may carry the JWT, with an optional prefix to strip.</summary>
public sealed record JwtHeader
{
    public string? Name { get; init; }

    public string? Prefix { get; init; }
}
