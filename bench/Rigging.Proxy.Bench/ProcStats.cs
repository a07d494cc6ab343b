using System.Globalization;

namespace Rigging.Proxy.Bench;

/// <summary>CPU time (utime+stime) and peak RSS (VmHWM) of a process and its children, from /proc.</summary>
internal static class ProcStats
{
    private const double TicksPerSecond = 100; // CLK_TCK on Linux

    public static double CpuSeconds(IEnumerable<int> pids)
    {
        double total = 0;
        foreach (var pid in pids)
        {
            try
            {
                var stat = File.ReadAllText($"/proc/{pid}/stat");
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                // After the command: state is field 3, utime 14 and stime 15 (1-based in proc(5)).
                total += (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / TicksPerSecond;
            }
            catch (IOException)
            {
                // The process is gone.
            }
        }
        return total;
    }

    public static double PeakRssMb(IEnumerable<int> pids)
    {
        double kb = 0;
        foreach (var pid in pids)
        {
            try
            {
                foreach (var line in File.ReadLines($"/proc/{pid}/status"))
                {
                    if (!line.StartsWith("VmHWM:", StringComparison.Ordinal)) continue;
                    kb += double.Parse(line[6..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
                }
            }
            catch (IOException)
            {
                // The process is gone.
            }
        }
        return kb / 1024;
    }

    /// <summary>
    /// Resident memory now, split as the kernel counts it (MB, summed over <paramref name="pids"/>): anonymous
    /// (heaps, JIT code), file-backed (the runtime's and framework's code and data, shared by every process that
    /// maps them), shared memory; and PSS, where each shared page is divided among the processes mapping it.
    /// </summary>
    public static MemoryBreakdown Memory(IEnumerable<int> pids)
    {
        double anon = 0, file = 0, shmem = 0, pss = 0;
        foreach (var pid in pids)
        {
            try
            {
                foreach (var line in File.ReadLines($"/proc/{pid}/status"))
                {
                    if (line.StartsWith("RssAnon:", StringComparison.Ordinal)) anon += Kb(line);
                    else if (line.StartsWith("RssFile:", StringComparison.Ordinal)) file += Kb(line);
                    else if (line.StartsWith("RssShmem:", StringComparison.Ordinal)) shmem += Kb(line);
                }
                foreach (var line in File.ReadLines($"/proc/{pid}/smaps_rollup"))
                {
                    if (line.StartsWith("Pss:", StringComparison.Ordinal)) pss += Kb(line);
                }
            }
            catch (IOException)
            {
                // The process is gone.
            }
        }
        return new MemoryBreakdown(anon / 1024, file / 1024, shmem / 1024, pss / 1024);
    }

    private static double Kb(string line) => double.Parse(line[(line.IndexOf(':') + 1)..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);

    /// <summary>The process and its direct children (nginx's master and workers).</summary>
    public static List<int> WithChildren(int pid)
    {
        var pids = new List<int> { pid };
        try
        {
            foreach (var task in Directory.GetDirectories($"/proc/{pid}/task"))
            {
                var children = File.ReadAllText(Path.Combine(task, "children")).Split(' ', StringSplitOptions.RemoveEmptyEntries);
                foreach (var child in children) pids.Add(int.Parse(child, CultureInfo.InvariantCulture));
            }
        }
        catch (IOException)
        {
            // The process is gone.
        }
        return [.. pids.Distinct()];
    }
}

/// <summary>Resident memory in MB: anonymous + file-backed + shared memory = RSS; PSS shares file pages out.</summary>
internal sealed record MemoryBreakdown(double AnonMb, double FileMb, double ShmemMb, double PssMb)
{
    public double RssMb => AnonMb + FileMb + ShmemMb;
}
