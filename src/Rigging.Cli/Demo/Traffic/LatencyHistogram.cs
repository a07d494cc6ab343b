namespace Rigging.Cli.Demo.Traffic;

/// <summary>
/// Latencies in logarithmic buckets 5% wide from 0.05 ms to about two minutes: constant memory for any number of
/// requests, percentiles within 5%. Not thread-safe: its owner locks.
/// </summary>
internal sealed class LatencyHistogram
{
    private const double Smallest = 0.05;
    private const int Buckets = 320;
    private static readonly double Growth = Math.Log(1.05);
    private readonly long[] _counts = new long[Buckets];
    private long _total;

    public long Count => _total;

    public void Add(double milliseconds)
    {
        var index = milliseconds <= Smallest ? 0 : (int)(Math.Log(milliseconds / Smallest) / Growth) + 1;
        _counts[Math.Clamp(index, 0, Buckets - 1)]++;
        _total++;
    }

    /// <summary>The upper bound of the bucket holding the given percentile (0-100), or null when empty.</summary>
    public double? Percentile(double percentile)
    {
        if (_total == 0) return null;
        var rank = (long)Math.Ceiling(_total * percentile / 100.0);
        long seen = 0;
        for (var i = 0; i < Buckets; i++)
        {
            seen += _counts[i];
            if (seen >= rank) return Smallest * Math.Exp(Growth * i);
        }
        return Smallest * Math.Exp(Growth * (Buckets - 1));
    }
}
