namespace Rigging.Api.Extensions;

/// <summary>Where an environment variable's value comes from.</summary>
public enum EnvValueSource
{
    /// <summary>The Value field.</summary>
    INLINE,
    /// <summary>The proxy's own environment.</summary>
    HOST,
}
