using System.Globalization;

namespace Rigging.Proxy.Bench;

/// <summary>One scenario's figures: latencies (ms), CPU seconds per 1000 requests and RSS (MB) per proxy process, max req/s.</summary>
/// <param name="ServerHopTlsHandshakes">TLS handshakes the rig server hop made during the measured phases (null when not counted).</param>
internal sealed record ScenarioResult(
    string Name,
    Percentiles ClosedLoop,
    Percentiles FixedRate,
    int FixedRateRequests,
    IReadOnlyList<double> CpuSecondsPer1000PerProxy,
    IReadOnlyList<double> PeakRssMbAt1000PerProxy,
    IReadOnlyList<double> PeakRssMbPerProxy,
    double MaxRequestsPerSecond,
    long? ServerHopTlsHandshakes = null);

/// <summary>What security adds to a pair of hops: the secured scenario minus its plaintext one (ms, CPU s per 1000 requests per proxy).</summary>
internal sealed record SecurityCost(
    string Secured,
    string Plaintext,
    double ClosedLoopP50,
    double ClosedLoopP90,
    double FixedRateP50,
    double FixedRateP90,
    IReadOnlyList<double> CpuSecondsPer1000PerProxy,
    double MaxRequestsPerSecondPlaintext,
    double MaxRequestsPerSecondSecured)
{
    /// <summary>The cost of each secured scenario whose plaintext twin also ran.</summary>
    public static List<SecurityCost> Of(IReadOnlyList<ScenarioResult> results)
    {
        var costs = new List<SecurityCost>();
        foreach (var (secured, plaintext) in Scenarios.SecuredPairs)
        {
            var s = results.FirstOrDefault(r => r.Name == secured);
            var p = results.FirstOrDefault(r => r.Name == plaintext);
            if (s is null || p is null) continue;
            costs.Add(new SecurityCost(
                secured,
                plaintext,
                s.ClosedLoop.P50 - p.ClosedLoop.P50,
                s.ClosedLoop.P90 - p.ClosedLoop.P90,
                s.FixedRate.P50 - p.FixedRate.P50,
                s.FixedRate.P90 - p.FixedRate.P90,
                [.. s.CpuSecondsPer1000PerProxy.Zip(p.CpuSecondsPer1000PerProxy, (a, b) => a - b)],
                p.MaxRequestsPerSecond,
                s.MaxRequestsPerSecond));
        }
        return costs;
    }
}

internal static class Report
{
    public static void Print(IReadOnlyList<ScenarioResult> results, IReadOnlyList<SecurityCost> costs, TextWriter output)
    {
        var direct = results.FirstOrDefault(r => r.Name == Scenarios.Direct);
        output.WriteLine();
        output.WriteLine($"{"scenario",-18} {"1conn p50",9} {"p90",7} {"p99",7} | {"1000/s p50",10} {"p90",7} {"p99",7} {"+p90",7} | {"cpu s/1k rq per proxy",22} | {"RSS MB @1k/peak",18} | {"max rq/s",9}");
        foreach (var r in results)
        {
            var added = direct is null ? "-" : F(r.FixedRate.P90 - direct.FixedRate.P90);
            var cpu = r.CpuSecondsPer1000PerProxy.Count == 0 ? "-" : string.Join(" / ", r.CpuSecondsPer1000PerProxy.Select(c => F(c, 3)));
            var rss = r.PeakRssMbPerProxy.Count == 0 ? "-" : string.Join(" ", r.PeakRssMbAt1000PerProxy.Zip(r.PeakRssMbPerProxy, (a, p) => $"{F(a, 0)}/{F(p, 0)}"));
            output.WriteLine($"{r.Name,-18} {F(r.ClosedLoop.P50),9} {F(r.ClosedLoop.P90),7} {F(r.ClosedLoop.P99),7} | {F(r.FixedRate.P50),10} {F(r.FixedRate.P90),7} {F(r.FixedRate.P99),7} {added,7} | {cpu,22} | {rss,18} | {F(r.MaxRequestsPerSecond, 0),9}");
        }
        output.WriteLine("latencies in ms; +p90 = added p90 at 1000 req/s over direct; cpu = (utime+stime) per 1000 requests at 1000 req/s");
        if (direct is not null)
        {
            output.WriteLine("added p90 at 1000 req/s over direct: " + string.Join(", ", results.Where(r => r != direct).Select(r => $"{r.Name} {Signed(r.FixedRate.P90 - direct.FixedRate.P90)} ms")));
        }
        foreach (var c in costs)
        {
            output.WriteLine($"security cost ({c.Secured} - {c.Plaintext}): 1conn p50 {Signed(c.ClosedLoopP50)} p90 {Signed(c.ClosedLoopP90)} ms; 1000/s p50 {Signed(c.FixedRateP50)} p90 {Signed(c.FixedRateP90)} ms; " +
                $"cpu s/1k per proxy {string.Join(" / ", c.CpuSecondsPer1000PerProxy.Select(Signed))}; max rq/s {F(c.MaxRequestsPerSecondPlaintext, 0)} -> {F(c.MaxRequestsPerSecondSecured, 0)}");
        }
        foreach (var r in results.Where(r => r.ServerHopTlsHandshakes is not null))
        {
            output.WriteLine($"{r.Name}: {r.ServerHopTlsHandshakes} TLS handshakes on the server hop while measuring (connections are kept and reused)");
        }
    }

    private static string Signed(double value) => (value >= 0 ? "+" : "") + F(value);

    private static string F(double value, int digits = 3) => value.ToString("F" + digits.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
}
