using System.Globalization;

namespace Rigging.Proxy.Bench;

/// <summary>One scenario's figures: latencies (ms), CPU seconds per 1000 requests and RSS (MB) per proxy process, max req/s.</summary>
internal sealed record ScenarioResult(
    string Name,
    Percentiles ClosedLoop,
    Percentiles FixedRate,
    int FixedRateRequests,
    IReadOnlyList<double> CpuSecondsPer1000PerProxy,
    IReadOnlyList<double> PeakRssMbAt1000PerProxy,
    IReadOnlyList<double> PeakRssMbPerProxy,
    double MaxRequestsPerSecond);

internal static class Report
{
    public static void Print(IReadOnlyList<ScenarioResult> results, TextWriter output)
    {
        var direct = results[0];
        output.WriteLine();
        output.WriteLine($"{"scenario",-10} {"1conn p50",9} {"p90",7} {"p99",7} | {"1000/s p50",10} {"p90",7} {"p99",7} {"+p90",7} | {"cpu s/1k rq per proxy",22} | {"RSS MB @1k/peak",18} | {"max rq/s",9}");
        foreach (var r in results)
        {
            var added = r.FixedRate.P90 - direct.FixedRate.P90;
            var cpu = r.CpuSecondsPer1000PerProxy.Count == 0 ? "-" : string.Join(" / ", r.CpuSecondsPer1000PerProxy.Select(c => F(c, 3)));
            var rss = r.PeakRssMbPerProxy.Count == 0 ? "-" : string.Join(" ", r.PeakRssMbAt1000PerProxy.Zip(r.PeakRssMbPerProxy, (a, p) => $"{F(a, 0)}/{F(p, 0)}"));
            output.WriteLine($"{r.Name,-10} {F(r.ClosedLoop.P50),9} {F(r.ClosedLoop.P90),7} {F(r.ClosedLoop.P99),7} | {F(r.FixedRate.P50),10} {F(r.FixedRate.P90),7} {F(r.FixedRate.P99),7} {F(added),7} | {cpu,22} | {rss,18} | {F(r.MaxRequestsPerSecond, 0),9}");
        }
        output.WriteLine("latencies in ms; +p90 = added p90 at 1000 req/s over direct; cpu = (utime+stime) per 1000 requests at 1000 req/s");
    }

    private static string F(double value, int digits = 3) => value.ToString("F" + digits.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
}
