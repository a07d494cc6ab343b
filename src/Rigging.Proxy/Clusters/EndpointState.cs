namespace Rigging.Proxy.Clusters;

/// <summary>
/// The long-lived runtime state of one endpoint: in-flight requests (for least-request balancing and limits) and
/// whether it may take traffic. Kept across config updates as long as the endpoint stays in the cluster.
/// </summary>
public sealed partial class EndpointState(EndpointConfig config)
{
    private int _activeRequests;
    private volatile EndpointConfig _config = config;

    public EndpointConfig Config
    {
        get => _config;
        internal set => _config = value;
    }

    public int ActiveRequests => Volatile.Read(ref _activeRequests);

    /// <summary>True while outlier detection has ejected the endpoint.</summary>
    public bool Ejected { get; internal set; }

    /// <summary>True while active health checking reports it down.</summary>
    public bool FailedHealthCheck { get; internal set; }

    public bool Available => !Ejected && !FailedHealthCheck && Config.Health is EndpointHealth.Healthy or EndpointHealth.Degraded;

    public void RequestStarted() => Interlocked.Increment(ref _activeRequests);

    public void RequestFinished() => Interlocked.Decrement(ref _activeRequests);
}
