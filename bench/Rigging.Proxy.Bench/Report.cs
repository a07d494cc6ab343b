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
    long? ServerHopTlsHandshakes = null)
{
    /// <summary>Each proxy's resident memory at the end of the 1000 req/s phase, split by kind.</summary>
    public IReadOnlyList<MemoryBreakdown> MemoryAt1000PerProxy { get; init; } = [];
}

/// <summary>One scenario's figures minus another's (ms, CPU s per 1000 requests per proxy), and both max rates.</summary>
internal sealed record ScenarioDifference(
    string Scenario,
    string Minus,
    double ClosedLoopP50,
    double ClosedLoopP90,
    double FixedRateP50,
    double FixedRateP90,
    IReadOnlyList<double> CpuSecondsPer1000PerProxy,
    double MaxRequestsPerSecondMinus,
    double MaxRequestsPerSecondScenario)
{
    /// <summary>The differences for each pair (scenario, minus) where both ran.</summary>
    public static List<ScenarioDifference> Of(IReadOnlyList<ScenarioResult> results, IEnumerable<(string Scenario, string Minus)> pairs)
    {
        var differences = new List<ScenarioDifference>();
        foreach (var (scenario, minus) in pairs)
        {
            var s = results.FirstOrDefault(r => r.Name == scenario);
            var m = results.FirstOrDefault(r => r.Name == minus);
            if (s is null || m is null) continue;
            differences.Add(new ScenarioDifference(
                scenario,
                minus,
                s.ClosedLoop.P50 - m.ClosedLoop.P50,
                s.ClosedLoop.P90 - m.ClosedLoop.P90,
                s.FixedRate.P50 - m.FixedRate.P50,
                s.FixedRate.P90 - m.FixedRate.P90,
                [.. s.CpuSecondsPer1000PerProxy.Zip(m.CpuSecondsPer1000PerProxy, (a, b) => a - b)],
                m.MaxRequestsPerSecond,
                s.MaxRequestsPerSecond));
        }
        return differences;
    }
}

internal static class Report
{
    /// <param name="securityCosts">Secured minus plaintext, per proxy kind.</param>
    /// <param name="securedComparison">Secured rig minus secured nginx.</param>
    public static void Print(IReadOnlyList<ScenarioResult> results, IReadOnlyList<ScenarioDifference> securityCosts, IReadOnlyList<ScenarioDifference> securedComparison, TextWriter output)
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
        foreach (var r in results.Where(r => r.MemoryAt1000PerProxy.Count > 0))
        {
            output.WriteLine($"{r.Name} memory per proxy at 1000/s, MB: " + string.Join(" / ", r.MemoryAt1000PerProxy.Select(m =>
                $"RSS {F(m.RssMb, 0)} = anon {F(m.AnonMb, 0)} + file {F(m.FileMb, 0)} + shmem {F(m.ShmemMb, 0)}, PSS {F(m.PssMb, 0)}")));
        }
        foreach (var c in securityCosts) output.WriteLine("security cost " + Describe(c));
        foreach (var c in securedComparison) output.WriteLine("secured, rig vs nginx " + Describe(c));
        foreach (var r in results.Where(r => r.ServerHopTlsHandshakes is not null))
        {
            output.WriteLine($"{r.Name}: {r.ServerHopTlsHandshakes} TLS handshakes on the server hop while measuring (connections are kept and reused)");
        }
    }

    private static string Describe(ScenarioDifference d) =>
        $"({d.Scenario} - {d.Minus}): 1conn p50 {Signed(d.ClosedLoopP50)} p90 {Signed(d.ClosedLoopP90)} ms; 1000/s p50 {Signed(d.FixedRateP50)} p90 {Signed(d.FixedRateP90)} ms; " +
        $"cpu s/1k per proxy {string.Join(" / ", d.CpuSecondsPer1000PerProxy.Select(Signed))}; max rq/s {F(d.MaxRequestsPerSecondMinus, 0)} -> {F(d.MaxRequestsPerSecondScenario, 0)}";

    private static string Signed(double value) => (value >= 0 ? "+" : "") + F(value);

    private static string F(double value, int digits = 3) => value.ToString("F" + digits.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
}
