using System.Collections.Concurrent;

namespace Rigging.Cli.Demo.Traffic;

/// <summary>
/// Every answer the traffic generator saw, by service and version, read as table rows: requests per second,
/// share of the service's answers, success and p99 over the last few seconds, and the same for the whole run.
/// </summary>
internal sealed class TrafficStats(TimeProvider time)
{
    public static readonly TimeSpan Window = TimeSpan.FromSeconds(5);
    private static readonly string[] Order = ["productpage", "details", "reviews", "ratings"];
    private readonly ConcurrentDictionary<(string Service, string Version), VersionStats> _versions = new();
    private long _started = time.GetTimestamp();

    /// <summary>Forgets nothing but restarts the clock the rates are measured from (when traffic starts).</summary>
    public void Start() => _started = time.GetTimestamp();

    public TimeSpan Elapsed => time.GetElapsedTime(_started);

    public void Record(in Outcome outcome)
    {
        var stats = _versions.GetOrAdd((outcome.Service, outcome.Version), static _ => new VersionStats());
        stats.Add(time.GetTimestamp(), outcome.Milliseconds, outcome.Success);
    }

    public List<StatsRow> Rows()
    {
        var now = time.GetTimestamp();
        var window = Elapsed < Window ? Elapsed : Window;
        var since = now - (long)(window.TotalSeconds * time.TimestampFrequency);
        var reads = _versions
            .Select(pair => (pair.Key.Service, pair.Key.Version, Read: pair.Value.Read(since)))
            .OrderBy(r => Array.IndexOf(Order, r.Service) is var i && i < 0 ? Order.Length : i)
            .ThenBy(r => r.Service, StringComparer.Ordinal)
            .ThenBy(r => r.Version == ReplyReader.Unknown ? "~" : r.Version, StringComparer.Ordinal)
            .ToList();
        var rows = new List<StatsRow>(reads.Count);
        foreach (var (service, version, read) in reads)
        {
            long serviceWindow = 0, serviceTotal = 0;
            foreach (var other in reads)
            {
                if (other.Service != service) continue;
                serviceWindow += other.Read.Count;
                serviceTotal += other.Read.TotalCount;
            }
            var seconds = Math.Max(window.TotalSeconds, 0.001);
            rows.Add(new StatsRow(
                service,
                version,
                read.Count / seconds,
                Ratio(read.Count, serviceWindow),
                Ratio(read.Ok, read.Count),
                read.P99,
                read.TotalCount,
                Ratio(read.TotalCount, serviceTotal),
                Ratio(read.TotalOk, read.TotalCount),
                read.TotalP99));
        }
        return rows;
    }

    private static double? Ratio(long part, long whole) => whole == 0 ? null : 100.0 * part / whole;
}
