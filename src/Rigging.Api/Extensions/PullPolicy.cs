namespace Rigging.Api.Extensions;

/// <summary>When the plugin image is fetched again.</summary>
public enum PullPolicy
{
    UNSPECIFIED_POLICY,
    IfNotPresent,
    Always,
}
