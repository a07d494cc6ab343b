using System.Collections.Concurrent;

namespace Rigging.Proxy.Clusters.OriginalDestination;

/// <summary>
/// The hosts of an ORIGINAL_DST cluster, made on demand: each request (or CONNECT) names its destination, the first
/// use of a destination adds a host, and a sweep every cleanup_interval forgets hosts neither chosen since the
/// previous sweep nor carrying requests, as Envoy's original destination cluster does. A lookup of a known
/// destination allocates nothing. Connection pools are the cluster handler's, one per destination, closed when idle.
/// </summary>
public sealed class OriginalDestinationHosts : IDisposable
{
    private readonly ConcurrentDictionary<Key, Host> _hosts = new(KeyComparer.Instance);
    private readonly ITimer _sweep;
    private TimeSpan _interval;

    public OriginalDestinationHosts(OriginalDestinationConfig config, TimeProvider time)
    {
        Config = config;
        _interval = config.CleanupInterval;
        _sweep = time.CreateTimer(static state => ((OriginalDestinationHosts)state!).Sweep(), this, _interval, _interval);
    }

    public OriginalDestinationConfig Config { get; private set; }

    /// <summary>The destinations known now (for admin output and tests).</summary>
    public IReadOnlyList<EndpointState> Hosts => [.. _hosts.Values.Select(h => h.State)];

    /// <summary>original_dst_host_invalid: override header values that were not an address and port.</summary>
    public long InvalidOverrides => Interlocked.Read(ref _invalidOverrides);

    private long _invalidOverrides;

    internal void Configure(OriginalDestinationConfig config)
    {
        Config = config;
        if (config.CleanupInterval == _interval) return;
        _interval = config.CleanupInterval;
        _sweep.Change(_interval, _interval);
    }

    internal void InvalidOverride() => Interlocked.Increment(ref _invalidOverrides);

    /// <summary>
    /// The host for a destination authority (see <see cref="DestinationAuthority"/>); null with the reason when the
    /// authority is malformed or names the local end of the connection it came in on (this proxy's listener).
    /// </summary>
    public EndpointState? Find(string? authority, int defaultPort, System.Net.IPAddress? localAddress, int localPort, out string? refusal)
    {
        refusal = null;
        if (authority is not null && _hosts.TryGetValue(new Key(authority, defaultPort), out var known))
        {
            known.Used = true;
            return known.State;
        }
        if (!DestinationAuthority.TryParse(authority, defaultPort, out var host, out var port, out refusal)) return null;
        if (DestinationAuthority.IsListener(host, port, localAddress, localPort))
        {
            refusal = $"\"{authority}\" is this proxy's own listener";
            return null;
        }
        var added = _hosts.GetOrAdd(new Key(authority!, defaultPort),
            static (_, target) => new Host(new EndpointState(new EndpointConfig(target.host, target.port, 1, EndpointHealth.Healthy, ""))), (host, port));
        added.Used = true;
        return added.State;
    }

    /// <summary>Forgets hosts unused for a whole interval that have nothing in flight; they come back on next use.</summary>
    internal void Sweep()
    {
        foreach (var (key, host) in _hosts)
        {
            if (host.Used) host.Used = false;
            else if (host.State.ActiveRequests == 0) _hosts.TryRemove(new KeyValuePair<Key, Host>(key, host));
        }
    }

    public void Dispose() => _sweep.Dispose();

    /// <summary>The authority as asked (no normalising copy per request); a bare host means another port under https.</summary>
    private readonly record struct Key(string Authority, int DefaultPort);

    private sealed class KeyComparer : IEqualityComparer<Key>
    {
        public static readonly KeyComparer Instance = new();

        public bool Equals(Key x, Key y) => x.DefaultPort == y.DefaultPort && string.Equals(x.Authority, y.Authority, StringComparison.OrdinalIgnoreCase);

        public int GetHashCode(Key key) => StringComparer.OrdinalIgnoreCase.GetHashCode(key.Authority) ^ key.DefaultPort;
    }

    private sealed class Host(EndpointState state)
    {
        public EndpointState State { get; } = state;

        public volatile bool Used;
    }
}
