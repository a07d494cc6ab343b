using System.Globalization;
using System.Runtime.InteropServices;

namespace Rigging.Cli.Demo.Processes;

/// <summary>
/// A process and its descendants as Linux shows them in /proc, and POSIX signals to them. A process is named by
/// its pid and start time together, so a pid the kernel has reused for another program is never signalled.
/// </summary>
internal static class ProcessTree
{
    public const int SigKill = 9;
    public const int SigTerm = 15;
    private const int MaxProcesses = 65_536;

    /// <summary>The process and every descendant, parents first (empty when it is gone or /proc is absent).</summary>
    public static List<ProcessId> WithDescendants(int root)
    {
        var result = new List<ProcessId>();
        if (!OperatingSystem.IsLinux() || Read(root) is not { } rootStat) return result;
        var children = new Dictionary<int, List<ProcessId>>();
        var scanned = 0;
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (++scanned > MaxProcesses) break;
            if (!int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var pid)) continue;
            if (Read(pid) is not { } stat) continue;
            if (!children.TryGetValue(stat.Parent, out var list)) children[stat.Parent] = list = [];
            list.Add(stat.Id);
        }
        result.Add(rootStat.Id);
        for (var i = 0; i < result.Count && i < MaxProcesses; i++)
        {
            if (children.TryGetValue(result[i].Pid, out var list)) result.AddRange(list);
        }
        return result;
    }

    /// <summary>True while the process runs (a zombie has finished running).</summary>
    public static bool IsRunning(ProcessId id) => Read(id.Pid) is { } stat && stat.Id == id && stat.State is not ('Z' or 'X');

    /// <summary>Sends a signal if the process is still the one named; false when it is gone.</summary>
    public static bool Signal(ProcessId id, int signal) => IsRunning(id) && Kill(id.Pid, signal) == 0;

    /// <summary>Every running process whose environment holds NAME=VALUE (how tests find a demo's leftovers).</summary>
    public static List<int> WithEnvironment(string name, string value)
    {
        var found = new List<int>();
        if (!OperatingSystem.IsLinux()) return found;
        var wanted = name + "=" + value;
        var scanned = 0;
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (++scanned > MaxProcesses) break;
            if (!int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var pid)) continue;
            try
            {
                var environ = File.ReadAllText(Path.Combine(dir, "environ"));
                if (environ.Split('\0').Contains(wanted) && Read(pid) is { State: not ('Z' or 'X') }) found.Add(pid);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Gone, or not ours.
            }
        }
        return found;
    }

    private readonly record struct Stat(ProcessId Id, int Parent, char State);

    /// <summary>Reads /proc/PID/stat: "pid (comm) state ppid ... starttime(22nd field) ...".</summary>
    private static Stat? Read(int pid)
    {
        string text;
        try
        {
            text = File.ReadAllText($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/stat");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
        var close = text.LastIndexOf(')');
        if (close < 0 || close + 2 >= text.Length) return null;
        var fields = text[(close + 2)..].Split(' ');
        // fields[0] is the 3rd field (state), so the 22nd field (start time) is fields[19].
        if (fields.Length < 20 || fields[0].Length != 1) return null;
        if (!int.TryParse(fields[1], NumberStyles.None, CultureInfo.InvariantCulture, out var parent)) return null;
        if (!ulong.TryParse(fields[19], NumberStyles.None, CultureInfo.InvariantCulture, out var start)) return null;
        return new Stat(new ProcessId(pid, start), parent, fields[0][0]);
    }

    // DllImport, not LibraryImport: the latter needs unsafe code for the project, and kill(2) takes two ints.
#pragma warning disable SYSLIB1054
    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);
#pragma warning restore SYSLIB1054
}
