namespace Rigging.Proxy.Clusters.Outlier;

/// <summary>
/// One endpoint's outlier counters, updated atomically on the request path (consecutive errors) and under the
/// detector's lock for ejections.
/// </summary>
public sealed class OutlierHostMonitor
{
    internal int Consecutive5xx;
    internal int ConsecutiveGatewayFailure;
    internal int ConsecutiveLocalOriginFailure;

    /// <summary>The ejection-time multiplier: grows with each ejection, shrinks while the endpoint behaves.</summary>
    internal int Multiplier;
    internal long EjectionsTotal;
    internal long EjectedAt;
    internal long UnejectedAt;

    public int Consecutive5xxCount => Volatile.Read(ref Consecutive5xx);

    public int ConsecutiveGatewayFailureCount => Volatile.Read(ref ConsecutiveGatewayFailure);

    public int ConsecutiveLocalOriginFailureCount => Volatile.Read(ref ConsecutiveLocalOriginFailure);

    /// <summary>How many times outlier detection has ejected this endpoint.</summary>
    public long Ejections => Interlocked.Read(ref EjectionsTotal);

    internal void ResetConsecutive()
    {
        Volatile.Write(ref Consecutive5xx, 0);
        Volatile.Write(ref ConsecutiveGatewayFailure, 0);
        Volatile.Write(ref ConsecutiveLocalOriginFailure, 0);
    }
}
