namespace Rigging.Proxy.Config;

/// <summary>The long-lived holder of the current <see cref="ProxySnapshot"/>: one volatile reference, swapped whole.</summary>
public sealed class ProxyState
{
    private volatile ProxySnapshot _current = ProxySnapshot.Empty;
    private volatile bool _ready;
    private volatile bool _draining;
    private volatile bool _awaitingCertificate;
    private volatile ConfigRejection? _lastRejection;

    public ProxySnapshot Current => _current;

    /// <summary>True once a first complete configuration (listeners included) has been applied.</summary>
    public bool Ready
    {
        get => _ready;
        internal set => _ready = value;
    }

    /// <summary>True while a configured certificate agent has not installed the first workload certificate.</summary>
    public bool AwaitingCertificate
    {
        get => _awaitingCertificate;
        internal set => _awaitingCertificate = value;
    }

    /// <summary>True once shutdown has begun: /ready answers 503 DRAINING so no new traffic is sent here.</summary>
    public bool Draining
    {
        get => _draining;
        internal set => _draining = value;
    }

    /// <summary>The last update NACKed (its type, version and reason), for the admin endpoints and logs.</summary>
    public ConfigRejection? LastRejection
    {
        get => _lastRejection;
        internal set => _lastRejection = value;
    }

    internal void Swap(ProxySnapshot next) => _current = next;
}

/// <summary>An update the proxy could not apply: what it was and why (the NACK's error_detail).</summary>
public sealed record ConfigRejection(string TypeUrl, string Version, string Reason, DateTimeOffset At);
