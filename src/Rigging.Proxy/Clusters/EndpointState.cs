using Rigging.Proxy.Clusters.Outlier;

namespace Rigging.Proxy.Clusters;

/// <summary>
/// The long-lived runtime state of one endpoint: in-flight requests (for least-request balancing and limits) and
/// whether it may take traffic. Kept across config updates as long as the endpoint stays in the cluster.
/// </summary>
public sealed partial class EndpointState(EndpointConfig config)
{
    // Bumped whenever any endpoint's availability may have changed, so endpoint sets recount lazily (see EndpointSet).
    private static long s_healthEpoch;

    private int _activeRequests;
    private long _totalRequests;
    private volatile EndpointConfig _config = config;
    private volatile bool _ejected;
    private volatile bool _failedHealthCheck;

    internal static long HealthEpoch => Volatile.Read(ref s_healthEpoch);

    public EndpointConfig Config
    {
        get => _config;
        internal set
        {
            var previous = _config;
            _config = value;
            if (previous.Health != value.Health) Interlocked.Increment(ref s_healthEpoch);
        }
    }

    public int ActiveRequests => Volatile.Read(ref _activeRequests);

    /// <summary>Requests (and TCP connections) started on this endpoint since it joined the cluster.</summary>
    public long TotalRequests => Interlocked.Read(ref _totalRequests);

    /// <summary>True while outlier detection has ejected the endpoint.</summary>
    public bool Ejected
    {
        get => _ejected;
        internal set
        {
            if (_ejected == value) return;
            _ejected = value;
            Interlocked.Increment(ref s_healthEpoch);
        }
    }

    /// <summary>True while active health checking reports it down (and before its first check passes).</summary>
    public bool FailedHealthCheck
    {
        get => _failedHealthCheck;
        internal set
        {
            if (_failedHealthCheck == value) return;
            _failedHealthCheck = value;
            Interlocked.Increment(ref s_healthEpoch);
        }
    }

    public bool Available => !_ejected && !_failedHealthCheck && _config.Health is EndpointHealth.Healthy or EndpointHealth.Degraded;

    /// <summary>Outlier detection's counters for this endpoint (consecutive errors, ejections).</summary>
    public OutlierHostMonitor Outlier { get; } = new();

    public void RequestStarted()
    {
        Interlocked.Increment(ref _activeRequests);
        Interlocked.Increment(ref _totalRequests);
    }

    public void RequestFinished() => Interlocked.Decrement(ref _activeRequests);
}
