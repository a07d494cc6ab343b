using System.Diagnostics;

namespace Rigging.Cli.Demo.Processes;

/// <summary>
/// Owns the demo's child processes: starts them with their output in log files, reports the first one that
/// dies unexpectedly, and stops every process tree (SIGTERM, then SIGKILL after a grace period). Descendants
/// are remembered while they run, so a grandchild whose parent died first is still found. If the demo itself
/// exits without stopping them, a process-exit hook kills whatever is left.
/// </summary>
internal sealed class Supervisor : IAsyncDisposable
{
    private const int MaxChildren = 64;
    private readonly List<ChildProcess> _children = [];
    private readonly HashSet<ProcessId> _known = [];
    private readonly Dictionary<string, string?> _environment;
    private readonly TaskCompletionSource<ChildProcess> _died = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationToken _shutdown;
    private readonly Lock _lock = new();
    private volatile bool _stopping;

    public Supervisor(IReadOnlyDictionary<string, string?> environment, CancellationToken shutdown)
    {
        _environment = new Dictionary<string, string?>(environment);
        _shutdown = shutdown;
        AppDomain.CurrentDomain.ProcessExit += OnProcessExit;
    }

    /// <summary>Completes with the first child that exited while the demo was not stopping.</summary>
    public Task<ChildProcess> Died => _died.Task;

    public ChildProcess Start(string name, string logPath, IReadOnlyList<string> command)
    {
        lock (_lock)
        {
            if (_children.Count >= MaxChildren) throw new InvalidOperationException("too many child processes");
            var child = ChildProcess.Start(name, logPath, command, _environment);
            _children.Add(child);
            _ = WatchAsync(child);
            return child;
        }
    }

    /// <summary>Records every process of every tree now, so orphans can be found at stop.</summary>
    public void Remember()
    {
        lock (_lock)
        {
            foreach (var child in _children) _known.UnionWith(child.Tree());
        }
    }

    /// <summary>Stops every child's tree: SIGTERM to all, then SIGKILL to whatever runs after <paramref name="grace"/>.</summary>
    public async Task StopAllAsync(TimeSpan grace)
    {
        _stopping = true;
        Remember();
        List<ProcessId> all;
        lock (_lock) all = [.. _known];
        foreach (var id in all) ProcessTree.Signal(id, ProcessTree.SigTerm);
        if (!await WaitGoneAsync(all, grace))
        {
            foreach (var id in all) ProcessTree.Signal(id, ProcessTree.SigKill);
            await WaitGoneAsync(all, TimeSpan.FromSeconds(2));
        }
        lock (_lock)
        {
            foreach (var child in _children) child.KillTree();
        }
    }

    private static async Task<bool> WaitGoneAsync(List<ProcessId> ids, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        for (var attempt = 0; attempt < 1000 && clock.Elapsed < timeout; attempt++)
        {
            if (!ids.Exists(ProcessTree.IsRunning)) return true;
            await Task.Delay(25, CancellationToken.None);
        }
        return !ids.Exists(ProcessTree.IsRunning);
    }

    private async Task WatchAsync(ChildProcess child)
    {
        await child.Exited;
        if (_stopping || _shutdown.IsCancellationRequested) return;
        // Ctrl-C reaches the children too; give the demo's own cancellation a moment to be seen first.
        await Task.Delay(300, CancellationToken.None);
        if (!_stopping && !_shutdown.IsCancellationRequested) _died.TrySetResult(child);
    }

    private void OnProcessExit(object? sender, EventArgs e)
    {
        List<ProcessId> all;
        lock (_lock)
        {
            foreach (var child in _children) _known.UnionWith(child.Tree());
            all = [.. _known];
        }
        foreach (var id in all) ProcessTree.Signal(id, ProcessTree.SigKill);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_stopping) await StopAllAsync(TimeSpan.FromSeconds(1));
        AppDomain.CurrentDomain.ProcessExit -= OnProcessExit;
        lock (_lock)
        {
            foreach (var child in _children) child.Dispose();
        }
    }
}
