namespace Rigging.Api.Networking;

/// <summary>Whether a ServiceEntry's service is inside or outside the mesh.</summary>
public enum ServiceEntryLocation
{
    MESH_EXTERNAL,
    MESH_INTERNAL,
}
