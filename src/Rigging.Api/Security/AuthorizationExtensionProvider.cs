namespace Rigging.Api.Security;

/// <summary>An external authorizer named in mesh config.</summary>
public sealed record AuthorizationExtensionProvider
{
    public string? Name { get; init; }
}
