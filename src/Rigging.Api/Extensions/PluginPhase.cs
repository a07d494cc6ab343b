namespace Rigging.Api.Extensions;

/// <summary>Where in the filter chain a plugin runs.</summary>
public enum PluginPhase
{
    UNSPECIFIED_PHASE,
    AUTHN,
    AUTHZ,
    STATS,
}
