using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace Rigging.ControlPlane.Bench;

/// <summary>This program started again in serve mode: the control plane in a child process, killed on dispose.</summary>
internal sealed class ServerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly SemaphoreSlim _ask = new(1, 1);

    private ServerProcess(Process process, int xdsPort, int httpPort)
    {
        _process = process;
        XdsPort = xdsPort;
        HttpPort = httpPort;
    }

    public int XdsPort { get; }

    /// <summary>The control plane's HTTP port (/apis/v1/resources is where `rig apply` posts).</summary>
    public int HttpPort { get; }

    public int Pid => _process.Id;

    public static async Task<ServerProcess> StartAsync(string directory, int configDebounceMs, int pushQuietMs, bool leadingEdge)
    {
        var start = new ProcessStartInfo(Environment.ProcessPath!)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { "serve", directory, configDebounceMs.ToString(CultureInfo.InvariantCulture), pushQuietMs.ToString(CultureInfo.InvariantCulture), leadingEdge ? "leading" : "trailing" })
            start.ArgumentList.Add(arg);
        var process = Process.Start(start) ?? throw new InvalidOperationException("could not start the control plane process");
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        while (await process.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
        {
            if (!line.StartsWith("READY ", StringComparison.Ordinal)) continue;
            var parts = line.Split(' ');
            return new ServerProcess(process, int.Parse(parts[1], CultureInfo.InvariantCulture), int.Parse(parts[2], CultureInfo.InvariantCulture));
        }
        process.Kill(entireProcessTree: true);
        throw new InvalidOperationException("the control plane process exited before it was ready");
    }

    public async Task<ServerStats> StatsAsync() => JsonSerializer.Deserialize<ServerStats>(await AskAsync("stats", "STATS "))!;

    /// <summary>The control plane's CPU time so far (user + system), in milliseconds.</summary>
    public async Task<ServerCounters> CountersAsync()
    {
        var parts = (await AskAsync("cpu", "CPU ")).Split(' ');
        return new ServerCounters(double.Parse(parts[0], CultureInfo.InvariantCulture), double.Parse(parts[1], CultureInfo.InvariantCulture),
            int.Parse(parts[2], CultureInfo.InvariantCulture));
    }

    private async Task<string> AskAsync(string command, string answerPrefix)
    {
        await _ask.WaitAsync();
        try
        {
            await _process.StandardInput.WriteLineAsync(command);
            await _process.StandardInput.FlushAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            while (await _process.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
            {
                if (line.StartsWith(answerPrefix, StringComparison.Ordinal)) return line[answerPrefix.Length..];
            }
            throw new InvalidOperationException("the control plane process exited");
        }
        finally
        {
            _ask.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await _process.StandardInput.WriteLineAsync("quit");
            await _process.StandardInput.FlushAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await _process.WaitForExitAsync(timeout.Token);
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or InvalidOperationException)
        {
            // killed below
        }
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        _process.Dispose();
        _ask.Dispose();
    }
}

/// <summary>The control plane's running totals: CPU time, time paused for garbage collection, full collections.</summary>
internal readonly record struct ServerCounters(double CpuMs, double GcPauseMs, int Gen2Collections)
{
    public static ServerCounters operator -(ServerCounters a, ServerCounters b) =>
        new(a.CpuMs - b.CpuMs, a.GcPauseMs - b.GcPauseMs, a.Gen2Collections - b.Gen2Collections);
}
