using System.Diagnostics;

namespace Rigging.E2E.Tests.Infrastructure;

/// <summary>
/// One process of the mesh (rig control-plane, rig run with its app, rig proxy): its output (stdout and stderr
/// together, which under <c>rig run</c> includes the app's) is kept as the last <see cref="KeptLines"/> lines for
/// failure reports. Dispose kills the whole process tree.
/// </summary>
internal sealed class MeshProcess : IDisposable
{
    private const int KeptLines = 60;
    private readonly Process _process;
    private readonly Queue<string> _lines = new();
    private readonly Lock _lock = new();

    private MeshProcess(string name, Process process)
    {
        Name = name;
        _process = process;
        _process.OutputDataReceived += (_, e) => Keep(e.Data);
        _process.ErrorDataReceived += (_, e) => Keep(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public string Name { get; }

    public bool HasExited => _process.HasExited;

    /// <summary>Starts <c>dotnet rig.dll ARGS</c> with no proxy variables of the test runner's.</summary>
    public static MeshProcess StartRig(string name, IEnumerable<string> args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Paths.Rig);
        foreach (var arg in args) start.ArgumentList.Add(arg);
        foreach (var variable in new[] { "HTTP_PROXY", "http_proxy", "HTTPS_PROXY", "https_proxy", "ALL_PROXY", "all_proxy", "NO_PROXY", "no_proxy", "ASPNETCORE_URLS", "DOTNET_URLS" })
        {
            start.Environment.Remove(variable);
        }
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {name}");
        return new MeshProcess(name, process);
    }

    /// <summary>The last lines it wrote, prefixed with its name.</summary>
    public string Tail(int lines = 25)
    {
        string[] kept;
        lock (_lock) kept = [.. _lines];
        var from = Math.Max(0, kept.Length - lines);
        var state = _process.HasExited ? $"exited with {_process.ExitCode}" : "running";
        return $"--- {Name} ({state}), last {kept.Length - from} lines ---\n" + string.Join('\n', kept[from..]);
    }

    private void Keep(string? line)
    {
        if (line is null) return;
        lock (_lock)
        {
            _lines.Enqueue(line);
            while (_lines.Count > KeptLines) _lines.Dequeue();
        }
    }

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited) _process.Kill(entireProcessTree: true);
            _process.WaitForExit(5000);
        }
        catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            // Already gone.
        }
        _process.Dispose();
    }
}
