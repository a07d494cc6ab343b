namespace Rigging.Proxy.Telemetry;

/// <summary>
/// A fixed-bucket histogram of milliseconds with Envoy's default bucket bounds, recorded lock-free: one
/// interlocked increment of a bucket, of the count, and an add to the sum (kept in microseconds).
/// </summary>
public sealed class Histogram
{
    /// <summary>Envoy's default histogram buckets (ms), as its Prometheus output prints them.</summary>
    public static readonly double[] EnvoyBuckets =
        [0.5, 1, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 30000, 60000, 300000, 600000, 1800000, 3600000];

    // One slot per bound plus the +Inf overflow; each slot holds the count of its own range (not cumulative).
    private readonly long[] _buckets = new long[EnvoyBuckets.Length + 1];
    private long _count;
    private long _sumMicros;

    public long Count => Interlocked.Read(ref _count);

    public double SumMilliseconds => Interlocked.Read(ref _sumMicros) / 1000.0;

    public void Record(double milliseconds)
    {
        var bounds = EnvoyBuckets;
        var slot = bounds.Length;
        for (var i = 0; i < bounds.Length; i++)
        {
            if (milliseconds <= bounds[i])
            {
                slot = i;
                break;
            }
        }
        Interlocked.Increment(ref _buckets[slot]);
        Interlocked.Add(ref _sumMicros, (long)(milliseconds * 1000));
        Interlocked.Increment(ref _count);
    }

    /// <summary>Cumulative counts per bound (Prometheus' le buckets), the last one being +Inf.</summary>
    public long[] CumulativeCounts()
    {
        var result = new long[_buckets.Length];
        long running = 0;
        for (var i = 0; i < _buckets.Length; i++)
        {
            running += Interlocked.Read(ref _buckets[i]);
            result[i] = running;
        }
        return result;
    }
}
