using System.Diagnostics;
using System.Text.Json;

namespace Rigging.Proxy.Tests.Grpc;

/// <summary>
/// A node helper program from tests/Rigging.Proxy.Tests/node, talking JSON lines over stdin/stdout.
/// Disposing closes stdin (the helpers exit on it) and kills the process tree if it lingers.
/// </summary>
internal sealed class NodeHelper : IAsyncDisposable
{
    private static readonly Lazy<string> Dir = new(FindNodeDir);
    private readonly Process _process;
    private readonly List<string> _stderr = [];

    private NodeHelper(Process process) => _process = process;

    public static string NodeDir => Dir.Value;

    public string StdErr
    {
        get
        {
            lock (_stderr) return string.Join('\n', _stderr);
        }
    }

    public static NodeHelper Start(string script, params string[] args)
    {
        var modules = Path.Combine(NodeDir, "node_modules");
        if (!Directory.Exists(modules)) throw new InvalidOperationException($"{modules} is missing: run `npm ci` in {NodeDir} (./test does).");
        var info = new ProcessStartInfo("node")
        {
            WorkingDirectory = NodeDir,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(script);
        foreach (var arg in args) info.ArgumentList.Add(arg);
        var process = Process.Start(info) ?? throw new InvalidOperationException("node did not start");
        var node = new NodeHelper(process);
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            lock (node._stderr) node._stderr.Add(e.Data);
        };
        process.BeginErrorReadLine();
        return node;
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
        if (line is null) throw new InvalidOperationException($"node exited without output. stderr:\n{StdErr}");
        var element = JsonDocument.Parse(line).RootElement.Clone();
        if (element.TryGetProperty("error", out var error)) throw new InvalidOperationException($"node failed: {error}");
        return element;
    }

    /// <summary>Sends one command and waits for its one-line answer.</summary>
    public async Task<JsonElement> RequestAsync(object command, TimeSpan? timeout = null)
    {
        await _process.StandardInput.WriteLineAsync(JsonSerializer.Serialize(command));
        await _process.StandardInput.FlushAsync();
        return await ReadJsonAsync(timeout ?? TimeSpan.FromSeconds(10));
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            _process.StandardInput.Close();
            using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            await _process.WaitForExitAsync(wait.Token);
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or InvalidOperationException)
        {
            // Falls through to the kill below.
        }
        try
        {
            if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
        _process.Dispose();
    }

    private static string FindNodeDir()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Rigging.sln"))) return Path.Combine(dir.FullName, "tests", "Rigging.Proxy.Tests", "node");
        }
        throw new InvalidOperationException($"Rigging.sln not found above {AppContext.BaseDirectory}");
    }
}
