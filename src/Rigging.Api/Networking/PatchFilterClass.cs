namespace Rigging.Api.Networking;

/// <summary>Where an added HTTP filter goes in the filter chain.</summary>
public enum PatchFilterClass
{
    UNSPECIFIED,
    AUTHN,
    AUTHZ,
    STATS,
}
