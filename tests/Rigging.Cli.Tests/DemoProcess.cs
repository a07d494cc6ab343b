using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Rigging.Cli.Tests;

/// <summary>
/// Runs <c>rig demo</c> as a real process with a demo id in its environment (inherited by every process it
/// starts), reads its summary table, and finds any process the demo left behind.
/// </summary>
internal sealed partial class DemoProcess : IDisposable
{
    public const string IdVariable = "RIGGING_DEMO_ID";
    private readonly Process _process;
    private readonly StringBuilder _stdout = new();
    private readonly StringBuilder _stderr = new();
    private readonly Lock _lock = new();
    private readonly List<(string Marker, TaskCompletionSource Seen)> _waits = [];

    public DemoProcess(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "rig.dll"));
        start.ArgumentList.Add("demo");
        foreach (var arg in args) start.ArgumentList.Add(arg);
        start.Environment[IdVariable] = Id;
        _process = Process.Start(start)!;
        _process.OutputDataReceived += (_, e) => Append(_stdout, e.Data);
        _process.ErrorDataReceived += (_, e) => Append(_stderr, e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public string Id { get; } = Guid.NewGuid().ToString("N");

    public int Pid => _process.Id;

    public string Stdout { get { lock (_lock) return _stdout.ToString(); } }

    public string Output { get { lock (_lock) return _stdout + "\n--- stderr ---\n" + _stderr; } }

    /// <summary>Completes when stdout has shown a line containing <paramref name="marker"/>.</summary>
    public Task WaitForAsync(string marker)
    {
        lock (_lock)
        {
            var seen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            if (_stdout.ToString().Contains(marker, StringComparison.Ordinal)) seen.SetResult();
            else _waits.Add((marker, seen));
            return seen.Task;
        }
    }

    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
            throw new TimeoutException($"rig demo did not exit within {timeout.TotalSeconds:0} s:\n{Output}");
        }
        await _process.WaitForExitAsync();
        return _process.ExitCode;
    }

    /// <summary>Sends SIGINT (what Ctrl-C sends) or SIGTERM with kill(1).</summary>
    public async Task SignalAsync(string signal)
    {
        using var kill = Process.Start(new ProcessStartInfo("kill", [$"-{signal}", Pid.ToString(CultureInfo.InvariantCulture)]) { UseShellExecute = false })!;
        await kill.WaitForExitAsync();
    }

    /// <summary>The summary table's rows for a service: version → requests.</summary>
    public static Dictionary<string, long> SummaryRows(string stdout, string service)
    {
        var rows = new Dictionary<string, long>(StringComparer.Ordinal);
        var summary = stdout.IndexOf("Summary", StringComparison.Ordinal);
        if (summary < 0) return rows;
        foreach (var line in stdout[summary..].Split('\n'))
        {
            var match = Row().Match(line);
            if (match.Success && match.Groups[1].Value == service)
            {
                rows[match.Groups[2].Value] = long.Parse(match.Groups[3].Value, CultureInfo.InvariantCulture);
            }
        }
        return rows;
    }

    /// <summary>Processes still running with this demo's id in their environment, after waiting up to 5 s for them to go.</summary>
    public async Task<List<string>> LeftoversAsync()
    {
        var clock = Stopwatch.StartNew();
        var found = Find();
        for (var i = 0; i < 50 && found.Count > 0 && clock.Elapsed < TimeSpan.FromSeconds(5); i++)
        {
            await Task.Delay(100);
            found = Find();
        }
        return found;
    }

    private List<string> Find()
    {
        var found = new List<string>();
        var wanted = $"{IdVariable}={Id}";
        foreach (var dir in Directory.EnumerateDirectories("/proc").Take(100_000))
        {
            if (!int.TryParse(Path.GetFileName(dir), out _)) continue;
            try
            {
                if (!File.ReadAllText(Path.Combine(dir, "environ")).Split('\0').Contains(wanted)) continue;
                var stat = File.ReadAllText(Path.Combine(dir, "stat"));
                var state = stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[0];
                if (state is "Z" or "X") continue;
                found.Add($"{Path.GetFileName(dir)}: {File.ReadAllText(Path.Combine(dir, "cmdline")).Replace('\0', ' ')}");
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Gone, or not ours.
            }
        }
        return found;
    }

    private void Append(StringBuilder into, string? line)
    {
        if (line is null) return;
        lock (_lock)
        {
            into.Append(line).Append('\n');
            if (into != _stdout) return;
            foreach (var (marker, seen) in _waits)
            {
                if (line.Contains(marker, StringComparison.Ordinal)) seen.TrySetResult();
            }
        }
    }

    [GeneratedRegex(@"^\W*([a-z]+)\s*[│|]\s*(\S+)\s*[│|]\s*(\d+)\s*[│|]")]
    private static partial Regex Row();

    public void Dispose()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        _process.Dispose();
    }
}
