namespace Rigging.Cli.Demo.Traffic;

/// <summary>Answers from one service version: a sliding window of recent ones and totals for the run.</summary>
internal sealed class VersionStats
{
    private const int MaxWindowSamples = 100_000;
    private readonly Lock _lock = new();
    private readonly Queue<(long At, double Ms, bool Ok)> _window = new();
    private readonly LatencyHistogram _total = new();
    private long _ok;

    public void Add(long at, double milliseconds, bool ok)
    {
        lock (_lock)
        {
            if (_window.Count >= MaxWindowSamples) _window.Dequeue();
            _window.Enqueue((at, milliseconds, ok));
            _total.Add(milliseconds);
            if (ok) _ok++;
        }
    }

    /// <summary>Window count, successes and p99 since <paramref name="since"/> (a timestamp); totals for the run.</summary>
    public (int Count, int Ok, double? P99, long TotalCount, long TotalOk, double? TotalP99) Read(long since)
    {
        lock (_lock)
        {
            while (_window.Count > 0 && _window.Peek().At < since) _window.Dequeue();
            var latencies = new double[_window.Count];
            var ok = 0;
            var i = 0;
            foreach (var sample in _window)
            {
                latencies[i++] = sample.Ms;
                if (sample.Ok) ok++;
            }
            Array.Sort(latencies);
            double? p99 = latencies.Length == 0 ? null : latencies[Math.Max(0, (int)Math.Ceiling(latencies.Length * 0.99) - 1)];
            return (latencies.Length, ok, p99, _total.Count, _ok, _total.Percentile(99));
        }
    }
}
