namespace Rigging.Api.Model;

/// <summary>Which side of the traffic a setting is for (istio.type.v1beta1.WorkloadMode).</summary>
public enum WorkloadMode
{
    UNDEFINED,
    CLIENT,
    SERVER,
    CLIENT_AND_SERVER,
}
