namespace Rigging.Api.Networking;

/// <summary>An extra attribute of a generated cookie (such as SameSite).</summary>
public sealed record HttpCookieAttribute
{
    public string? Name { get; init; }

    public string? Value { get; init; }
}
