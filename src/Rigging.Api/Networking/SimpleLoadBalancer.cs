namespace Rigging.Api.Networking;

/// <summary>Load balancing algorithms that need no settings.</summary>
public enum SimpleLoadBalancer
{
    UNSPECIFIED,
    /// <summary>Deprecated: same as LEAST_REQUEST.</summary>
    LEAST_CONN,
    RANDOM,
    PASSTHROUGH,
    ROUND_ROBIN,
    LEAST_REQUEST,
}
