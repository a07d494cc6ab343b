using System.Diagnostics;
using System.Text.Json;

namespace Rigging.Xds.Tests.Infrastructure;

/// <summary>
/// A node helper program from tests/Rigging.Xds.Tests/node, talking JSON lines over stdin/stdout.
/// Disposing closes stdin (the helpers exit on it) and kills the process tree.
/// </summary>
internal sealed class NodeProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly List<string> _stderr = [];

    private NodeProcess(Process process)
    {
        _process = process;
    }

    public string StdErr
    {
        get
        {
            lock (_stderr)
            {
                return string.Join('\n', _stderr);
            }
        }
    }

    public static NodeProcess Start(string script, IEnumerable<string> args, IReadOnlyDictionary<string, string>? env = null)
    {
        string nodeModules = Path.Combine(RepoPaths.NodeDir, "node_modules");
        if (!Directory.Exists(nodeModules))
        {
            throw new InvalidOperationException($"{nodeModules} is missing: run `npm ci` in {RepoPaths.NodeDir} (./test does).");
        }

        var info = new ProcessStartInfo("node")
        {
            WorkingDirectory = RepoPaths.NodeDir,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(script);
        foreach (string arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        foreach (var (key, value) in env ?? new Dictionary<string, string>())
        {
            info.Environment[key] = value;
        }

        var process = Process.Start(info) ?? throw new InvalidOperationException("node did not start");
        var node = new NodeProcess(process);
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (node._stderr)
                {
                    node._stderr.Add(e.Data);
                }
            }
        };
        process.BeginErrorReadLine();
        return node;
    }

    /// <summary>Runs a helper to completion and returns its one JSON line.</summary>
    public static async Task<JsonElement> RunAsync(string script, params string[] args)
    {
        await using var node = Start(script, args);
        return await node.ReadJsonAsync(TimeSpan.FromSeconds(30));
    }

    public async Task<JsonElement> ReadJsonAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        string? line;
        try
        {
            line = await _process.StandardOutput.ReadLineAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"node wrote nothing within {timeout}. stderr:\n{StdErr}");
        }

        if (line is null)
        {
            throw new InvalidOperationException($"node exited without output. stderr:\n{StdErr}");
        }

        return JsonDocument.Parse(line).RootElement.Clone();
    }

    public async Task<JsonElement> RequestAsync(object command, TimeSpan timeout)
    {
        await _process.StandardInput.WriteLineAsync(JsonSerializer.Serialize(command));
        await _process.StandardInput.FlushAsync();
        return await ReadJsonAsync(timeout);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            _process.StandardInput.Close();
            using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            await _process.WaitForExitAsync(wait.Token);
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or InvalidOperationException)
        {
            // Falls through to the kill below.
        }

        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }

        _process.Dispose();
    }
}
