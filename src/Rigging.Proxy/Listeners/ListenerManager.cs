using System.Collections.Frozen;

namespace Rigging.Proxy.Listeners;

/// <summary>
/// Makes the bound listeners match the snapshot: a listener that keeps its address keeps its socket and takes
/// the new model (new connections use it); a new one is bound; a removed or moved one drains and closes.
/// </summary>
public sealed class ListenerManager(ProxyServices services) : IAsyncDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private Dictionary<string, KestrelListener> _active = new(StringComparer.Ordinal);

    public IReadOnlyDictionary<string, KestrelListener> Active => _active;

    /// <summary>Binds and updates; fails (and changes nothing it has not already bound) when an address is taken.</summary>
    public async Task ApplyAsync(FrozenDictionary<string, ListenerModel> listeners)
    {
        await _gate.WaitAsync().ConfigureAwait(false);
        try
        {
            var next = new Dictionary<string, KestrelListener>(StringComparer.Ordinal);
            var retired = new List<KestrelListener>();
            var started = new List<KestrelListener>();
            var updates = new List<(KestrelListener Listener, ListenerModel Model)>();
            foreach (var (name, model) in listeners)
            {
                if (_active.TryGetValue(name, out var existing) && existing.Model.Endpoint.Equals(model.Endpoint))
                {
                    updates.Add((existing, model));
                    next[name] = existing;
                    continue;
                }
                if (existing is not null) retired.Add(existing);
                try
                {
                    var listener = await KestrelListener.StartAsync(model, services).ConfigureAwait(false);
                    started.Add(listener);
                    next[name] = listener;
                }
                catch (IOException e)
                {
                    // Nothing of this update takes effect: the caller NACKs it and keeps serving the last good config.
                    foreach (var listener in started) await listener.DisposeAsync().ConfigureAwait(false);
                    throw new Config.ConfigException($"Listener {name}: cannot bind {model.Endpoint}: {e.Message}");
                }
            }
            foreach (var (listener, model) in updates) listener.Model = model;
            foreach (var (name, listener) in _active)
            {
                if (!next.ContainsKey(name)) retired.Add(listener);
            }
            _active = next;
            foreach (var listener in retired) _ = RetireAsync(listener);
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task RetireAsync(KestrelListener listener)
    {
        await listener.DrainAsync(services.Limits.DrainTime).ConfigureAwait(false);
        await listener.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>Drains every listener (graceful shutdown).</summary>
    public async Task DrainAllAsync(TimeSpan drainTime) =>
        await Task.WhenAll(_active.Values.Select(l => l.DrainAsync(drainTime))).ConfigureAwait(false);

    public async ValueTask DisposeAsync()
    {
        foreach (var listener in _active.Values) await listener.DisposeAsync().ConfigureAwait(false);
        _active.Clear();
    }
}
