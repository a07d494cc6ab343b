namespace Rigging.Proxy.Clusters;

public sealed partial class ClusterState
{
    /// <summary>
    /// Admits a request (or a retry) under the cluster's circuit breakers; false means overflow (503 UO).
    /// Every admitted request is matched by one <see cref="FinishRequest"/>.
    /// </summary>
    public bool TryStartRequest(bool isRetry) => true;

    public void FinishRequest(bool isRetry)
    {
    }
}
