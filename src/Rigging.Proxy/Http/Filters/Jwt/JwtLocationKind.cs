namespace Rigging.Proxy.Http.Filters.Jwt;

/// <summary>Where a token was found, so it can be removed from there when its provider does not forward it.</summary>
public enum JwtLocationKind
{
    Header,
    Param,
    Cookie,
}
