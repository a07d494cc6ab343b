namespace Rigging.Api.Security;

/// <summary>Whether plain text, mutual TLS or both are accepted.</summary>
public enum MutualTlsMode
{
    /// <summary>Inherit from the parent policy.</summary>
    UNSET,
    DISABLE,
    PERMISSIVE,
    STRICT,
}
