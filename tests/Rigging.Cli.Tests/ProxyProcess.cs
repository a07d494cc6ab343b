using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Rigging.Cli.Tests;

/// <summary>
/// A long-running <c>rig</c> child process (proxy or run): output captured, signals sent with kill(1), killed on
/// dispose if still running.
/// </summary>
internal sealed class ProxyProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _stdout = new();
    private readonly StringBuilder _stderr = new();

    private ProxyProcess(Process process)
    {
        _process = process;
        _process.OutputDataReceived += (_, e) => { lock (_stdout) { if (e.Data is not null) _stdout.Append(e.Data).Append('\n'); } };
        _process.ErrorDataReceived += (_, e) => { lock (_stderr) { if (e.Data is not null) _stderr.Append(e.Data).Append('\n'); } };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public int Id => _process.Id;

    public string Stdout { get { lock (_stdout) { return _stdout.ToString(); } } }

    public string Stderr { get { lock (_stderr) { return _stderr.ToString(); } } }

    public static ProxyProcess Start(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "rig.dll"));
        foreach (var arg in args) start.ArgumentList.Add(arg);
        return new ProxyProcess(Process.Start(start)!);
    }

    public async Task SignalAsync(string signal)
    {
        using var kill = Process.Start("kill", [$"-{signal}", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        await kill.WaitForExitAsync();
    }

    /// <summary>The exit code, or a TimeoutException (with the output) when it does not exit in time.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"rig did not exit within {timeout}; stderr:\n{Stderr}");
        }
        _process.WaitForExit(); // flushes the redirected output
        return _process.ExitCode;
    }

    public bool HasExited => _process.HasExited;

    /// <summary>A port below the ephemeral range, which no client connection can take before the proxy binds it.</summary>
    public static int FreePort() => Rigging.Cli.Demo.Mesh.FreePorts.Take(1)[0];

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }
}
