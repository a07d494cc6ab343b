namespace Rigging.Api.Security;

/// <summary>What happens to requests that match a policy's rules.</summary>
public enum AuthorizationPolicyAction
{
    ALLOW,
    DENY,
    AUDIT,
    CUSTOM,
}
