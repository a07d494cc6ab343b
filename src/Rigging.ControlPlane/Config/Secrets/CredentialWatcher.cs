namespace Rigging.ControlPlane.Config.Secrets;

/// <summary>
/// Raises <see cref="Changed"/> (debounced) when anything under the secrets directory changes, so a rotated
/// gateway certificate reaches the gateways with the next push. The config store watches the same tree but only
/// publishes YAML changes; the push reads the files again (<see cref="CredentialDirectory.Load"/>).
/// </summary>
public sealed class CredentialWatcher : IDisposable
{
    private readonly string _secrets;
    private readonly FileSystemWatcher _watcher;
    private readonly ITimer _debounce;
    private readonly TimeSpan _quiet;

    /// <param name="configDirectory">The config store's directory (it exists; secrets/ under it may not yet).</param>
    public CredentialWatcher(string configDirectory, Action changed, TimeProvider? time = null, TimeSpan? quiet = null)
    {
        ArgumentNullException.ThrowIfNull(changed);
        var root = Path.GetFullPath(configDirectory);
        _secrets = Path.Combine(root, "secrets") + Path.DirectorySeparatorChar;
        _quiet = quiet ?? TimeSpan.FromMilliseconds(100);
        _debounce = (time ?? TimeProvider.System).CreateTimer(_ => changed(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        _watcher = new FileSystemWatcher(root)
        {
            IncludeSubdirectories = true,
            NotifyFilter = NotifyFilters.FileName | NotifyFilters.DirectoryName | NotifyFilters.LastWrite | NotifyFilters.Size,
        };
        _watcher.Changed += OnEvent;
        _watcher.Created += OnEvent;
        _watcher.Deleted += OnEvent;
        _watcher.Renamed += OnEvent;
        _watcher.EnableRaisingEvents = true;
    }

    private void OnEvent(object sender, FileSystemEventArgs e)
    {
        var path = e.FullPath + (Directory.Exists(e.FullPath) ? Path.DirectorySeparatorChar.ToString() : "");
        if (!path.StartsWith(_secrets, StringComparison.Ordinal) && !_secrets.StartsWith(path, StringComparison.Ordinal)) return;
        _debounce.Change(_quiet, Timeout.InfiniteTimeSpan);
    }

    public void Dispose()
    {
        _watcher.Dispose();
        _debounce.Dispose();
    }
}
