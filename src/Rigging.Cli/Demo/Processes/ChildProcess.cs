using System.Diagnostics;
using System.Text;

namespace Rigging.Cli.Demo.Processes;

/// <summary>
/// One process the demo started, its standard output and error going to a log file. The shell that starts it
/// execs the program, so the pid is the program's; standard input is /dev/null so no child reads the terminal.
/// </summary>
internal sealed class ChildProcess : IDisposable
{
    private readonly Process _process;

    private ChildProcess(string name, string logPath, Process process)
    {
        Name = name;
        LogPath = logPath;
        _process = process;
        Pid = process.Id;
        Exited = WaitAsync();
    }

    public string Name { get; }

    public string LogPath { get; }

    public int Pid { get; }

    /// <summary>Completes with the exit code when the process has exited.</summary>
    public Task<int> Exited { get; }

    public bool HasExited => Exited.IsCompleted;

    /// <summary>The pids of the process and its descendants, as they are now.</summary>
    public List<ProcessId> Tree() => HasExited ? [] : ProcessTree.WithDescendants(Pid);

    public static ChildProcess Start(string name, string logPath, IReadOnlyList<string> command, IReadOnlyDictionary<string, string?> environment)
    {
        var start = new ProcessStartInfo("/bin/sh") { UseShellExecute = false };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add("exec \"$@\" </dev/null >>\"$0\" 2>&1");
        start.ArgumentList.Add(logPath);
        foreach (var arg in command) start.ArgumentList.Add(arg);
        foreach (var (key, value) in environment)
        {
            if (value is null) start.Environment.Remove(key);
            else start.Environment[key] = value;
        }
        File.WriteAllText(logPath, $"$ {string.Join(' ', command)}\n");
        var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {name}: {command[0]}");
        return new ChildProcess(name, logPath, process);
    }

    /// <summary>The last lines of the log (at most 8 KiB of it).</summary>
    public string Tail(int lines)
    {
        try
        {
            using var stream = new FileStream(LogPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            var length = (int)Math.Min(stream.Length, 8192);
            stream.Seek(-length, SeekOrigin.End);
            var buffer = new byte[length];
            stream.ReadExactly(buffer);
            var all = Encoding.UTF8.GetString(buffer).TrimEnd().Split('\n');
            return string.Join('\n', all[Math.Max(0, all.Length - lines)..]);
        }
        catch (IOException e)
        {
            return $"(could not read {LogPath}: {e.Message})";
        }
    }

    /// <summary>Kills what is left of the tree at once (the fallback where /proc is absent).</summary>
    public void KillTree()
    {
        try
        {
            if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        }
        catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            // Already gone.
        }
    }

    private async Task<int> WaitAsync()
    {
        await _process.WaitForExitAsync();
        return _process.ExitCode;
    }

    public void Dispose() => _process.Dispose();
}
