using System.Collections.Immutable;
using Rigging.Api.Model;

namespace Rigging.ControlPlane.Config;

/// <summary>
/// A directory of YAML/JSON files as the mesh's configuration, kept current:
/// 1. file events (FileSystemWatcher) are debounced, and a periodic rescan catches any the watcher missed;
/// 2. a reload looks at each file's size and modification time, reads those that may have changed (see
///    <see cref="FileStamp"/>), and validates whole each file whose content hash changed;
/// 3. a file with errors is rejected whole: its messages are kept in <see cref="Errors"/> and its last good
///    resources keep serving; a good file replaces its resources; a deleted file removes them;
/// 4. the good resources become a new immutable <see cref="ConfigSnapshot"/> (swapped with one write) and
///    <see cref="Changed"/> says which resources changed.
/// </summary>
public sealed partial class ConfigStore : IAsyncDisposable
{
    private readonly ConfigStoreOptions _options;
    private readonly SemaphoreSlim _reloadLock = new(1, 1);
    private readonly Dictionary<string, FileEntry> _files = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stop = new();
    private volatile ConfigSnapshot _snapshot = ConfigSnapshot.Empty;
    private volatile ConfigFileError[] _errors = [];
    private FileSystemWatcher? _watcher;
    private ITimer? _debounce;
    private ITimer? _rescan;

    public ConfigStore(ConfigStoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        Directory = Path.GetFullPath(options.Directory);
    }

    /// <summary>The watched directory (absolute).</summary>
    public string Directory { get; }

    /// <summary>The good resources now serving.</summary>
    public ConfigSnapshot Snapshot => _snapshot;

    /// <summary>Rejected files and duplicate definitions, for /debug/config_errors.</summary>
    public IReadOnlyList<ConfigFileError> Errors => _errors;

    /// <summary>Raised after a reload changed the good resources, in order, one reload at a time.</summary>
    public event EventHandler<ConfigChange>? Changed;

    /// <summary>Loads the directory once (creating it if needed), then watches it.</summary>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        System.IO.Directory.CreateDirectory(Directory);
        await ReloadAsync(cancellationToken).ConfigureAwait(false);
        var time = _options.TimeProvider;
        _debounce = time.CreateTimer(_ => ReloadInBackground(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        _rescan = time.CreateTimer(_ => ReloadInBackground(), null, _options.RescanPeriod, _options.RescanPeriod);
        _watcher = new FileSystemWatcher(Directory)
        {
            IncludeSubdirectories = true,
            NotifyFilter = NotifyFilters.FileName | NotifyFilters.DirectoryName | NotifyFilters.LastWrite | NotifyFilters.Size,
        };
        _watcher.Changed += OnFileEvent;
        _watcher.Created += OnFileEvent;
        _watcher.Deleted += OnFileEvent;
        _watcher.Renamed += OnFileEvent;
        _watcher.Error += (_, _) => _debounce.Change(_options.Debounce, Timeout.InfiniteTimeSpan);
        _watcher.EnableRaisingEvents = true;
    }

    /// <summary>Reads what changed now (the API calls this after writing, so its answer reflects the write).</summary>
    public async Task ReloadAsync(CancellationToken cancellationToken = default)
    {
        await _reloadLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            Scan();
        }
        finally
        {
            _reloadLock.Release();
        }
    }

    private void OnFileEvent(object sender, FileSystemEventArgs e) => _debounce?.Change(_options.Debounce, Timeout.InfiniteTimeSpan);

    private void ReloadInBackground()
    {
        if (_stop.IsCancellationRequested) return;
        _ = Task.Run(async () =>
        {
            try
            {
                await ReloadAsync(_stop.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                // stopping
            }
#pragma warning disable CA1031 // a failed scan is logged; the next event or rescan tries again
            catch (Exception ex)
#pragma warning restore CA1031
            {
                ConfigLog.ScanFailed(_options.Logger, Directory, ex);
            }
        });
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        _watcher?.Dispose();
        if (_debounce is not null) await _debounce.DisposeAsync().ConfigureAwait(false);
        if (_rescan is not null) await _rescan.DisposeAsync().ConfigureAwait(false);
        await _reloadLock.WaitAsync().ConfigureAwait(false);
        _reloadLock.Release();
        _stop.Dispose();
    }

    /// <summary>One file as last read: its content hash, the resources that serve, and why its newest content was refused.</summary>
    private sealed record FileEntry(string Hash, ImmutableArray<Resource> Good, ConfigFileError? Error, bool EmptySeen = false, FileStamp Stamp = default);
}
