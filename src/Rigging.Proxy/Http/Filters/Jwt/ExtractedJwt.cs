namespace Rigging.Proxy.Http.Filters.Jwt;

/// <summary>A token as found in a request: its text and the header, query parameter or cookie that carried it.</summary>
public readonly record struct ExtractedJwt(string Token, JwtLocationKind Kind, string Name);
