namespace Rigging.Api.Security;

/// <summary>Whether a JWT rule's token is mandatory.</summary>
public enum JwtRequirement
{
    /// <summary>A missing token is allowed; an invalid one is rejected.</summary>
    OPTIONAL,
    /// <summary>The token must be present and valid.</summary>
    REQUIRED,
}
