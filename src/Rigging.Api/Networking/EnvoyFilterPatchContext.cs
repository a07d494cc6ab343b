namespace Rigging.Api.Networking;

/// <summary>Which kind of proxy traffic a patch is for.</summary>
public enum EnvoyFilterPatchContext
{
    ANY,
    SIDECAR_INBOUND,
    SIDECAR_OUTBOUND,
    GATEWAY,
    WAYPOINT,
}
