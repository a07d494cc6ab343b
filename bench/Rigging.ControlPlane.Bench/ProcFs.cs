using System.Globalization;

namespace Rigging.ControlPlane.Bench;

/// <summary>Process and machine figures from /proc (Linux).</summary>
internal static class ProcFs
{
    /// <summary>Resident set size of a process, or -1 where /proc is not there.</summary>
    public static long RssBytes(int pid)
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{pid}/status"))
            {
                if (!line.StartsWith("VmRSS:", StringComparison.Ordinal)) continue;
                var kb = line["VmRSS:".Length..].Trim().Split(' ')[0];
                return long.Parse(kb, CultureInfo.InvariantCulture) * 1024;
            }
        }
        catch (IOException)
        {
            // not Linux, or gone
        }
        return -1;
    }

    /// <summary>The 1, 5 and 15 minute load averages ("" where unknown).</summary>
    public static string LoadAverage()
    {
        try
        {
            var parts = File.ReadAllText("/proc/loadavg").Split(' ');
            return string.Join(' ', parts.Take(3));
        }
        catch (IOException)
        {
            return "";
        }
    }
}
