namespace Rigging.Api.Extensions;

/// <summary>What happens when the plugin fails.</summary>
public enum FailStrategy
{
    FAIL_CLOSE,
    FAIL_OPEN,
    FAIL_RELOAD,
}
