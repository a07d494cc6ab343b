namespace Rigging.Proxy.Clusters;

public sealed partial class ClusterState
{
    private long _activeRequests;
    private long _activeRetries;

    /// <summary>Requests in flight on the cluster (upstream_rq_active).</summary>
    public long ActiveRequests => Interlocked.Read(ref _activeRequests);

    /// <summary>
    /// HTTP/1.1 requests beyond max_connections: each needs its own connection, so they wait in the pool
    /// (upstream_rq_pending_active). HTTP/2 multiplexes and has none.
    /// </summary>
    public long PendingRequests => Model.Http2 ? 0 : Math.Max(0, ActiveRequests - Model.CircuitBreakers.MaxConnections);

    public long ActiveRetries => Interlocked.Read(ref _activeRetries);

    /// <summary>
    /// Admits a request (or a retry) under the cluster's circuit breakers; false means overflow (503 UO).
    /// Every admitted request is matched by one <see cref="FinishRequest"/>. Lock-free: increment, then undo on overflow.
    /// </summary>
    public bool TryStartRequest(bool isRetry)
    {
        var model = _current.Model;
        var limits = model.CircuitBreakers;
        if (isRetry && Interlocked.Increment(ref _activeRetries) > limits.MaxRetries)
        {
            Interlocked.Decrement(ref _activeRetries);
            Stats.RetryOverflow();
            return false;
        }
        var active = Interlocked.Increment(ref _activeRequests);
        if (active > limits.MaxRequests)
        {
            Undo(isRetry);
            Stats.PendingOverflow();
            return false;
        }
        if (!model.Http2 && active > limits.MaxConnections)
        {
            // Every connection is busy: this request must wait for one, if the pending queue has room.
            Stats.ConnectionOverflow();
            if (active - limits.MaxConnections > limits.MaxPendingRequests)
            {
                Undo(isRetry);
                Stats.PendingOverflow();
                return false;
            }
            Stats.Pending();
        }
        Stats.RequestAdmitted(isRetry);
        return true;
    }

    public void FinishRequest(bool isRetry) => Undo(isRetry);

    private void Undo(bool isRetry)
    {
        Interlocked.Decrement(ref _activeRequests);
        if (isRetry) Interlocked.Decrement(ref _activeRetries);
    }
}
