namespace Rigging.ControlPlane.Push;

/// <summary>Counters of pushes: how many, by type, and a histogram of push time (Prometheus buckets, seconds).</summary>
public sealed class PushMetrics
{
    public static readonly double[] Buckets = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

    private readonly long[] _bucketCounts = new long[Buckets.Length];
    private long _pushes;
    private long _fullPushes;
    private long _proxyUpdates;
    private long _sumMicros;
    private long _inconsistent;
    private long _generations;
    private long _endpointGenerations;

    public long Pushes => Interlocked.Read(ref _pushes);

    public long FullPushes => Interlocked.Read(ref _fullPushes);

    /// <summary>Snapshots generated for proxies, over every push.</summary>
    public long ProxyUpdates => Interlocked.Read(ref _proxyUpdates);

    /// <summary>Snapshots the cache refused as inconsistent (the previous one kept serving).</summary>
    public long Inconsistent => Interlocked.Read(ref _inconsistent);

    /// <summary>Proxy views translated whole (one per group of proxies that share a view).</summary>
    public long Generations => Interlocked.Read(ref _generations);

    /// <summary>Proxy views whose ClusterLoadAssignments alone were regenerated.</summary>
    public long EndpointGenerations => Interlocked.Read(ref _endpointGenerations);

    public double PushSecondsSum => Interlocked.Read(ref _sumMicros) / 1_000_000.0;

    /// <summary>Cumulative counts per bucket upper bound (Prometheus "le").</summary>
    public IReadOnlyList<long> CumulativeBuckets()
    {
        var result = new long[Buckets.Length];
        long total = 0;
        for (var i = 0; i < Buckets.Length; i++)
        {
            total += Interlocked.Read(ref _bucketCounts[i]);
            result[i] = total;
        }
        return result;
    }

    internal void Record(TimeSpan elapsed, bool full, int proxies, int inconsistent, int generations, int endpointGenerations)
    {
        Interlocked.Add(ref _generations, generations);
        Interlocked.Add(ref _endpointGenerations, endpointGenerations);
        Interlocked.Increment(ref _pushes);
        if (full) Interlocked.Increment(ref _fullPushes);
        Interlocked.Add(ref _proxyUpdates, proxies);
        Interlocked.Add(ref _inconsistent, inconsistent);
        Interlocked.Add(ref _sumMicros, (long)(elapsed.TotalMilliseconds * 1000));
        var seconds = elapsed.TotalSeconds;
        for (var i = 0; i < Buckets.Length; i++)
        {
            if (seconds <= Buckets[i])
            {
                Interlocked.Increment(ref _bucketCounts[i]);
                return;
            }
        }
    }
}
