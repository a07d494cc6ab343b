namespace Rigging.Xds.Cache;

/// <summary>The mutable record behind <see cref="NodeStatus"/>, updated by the node's streams.</summary>
internal sealed class NodeStatusTracker(string nodeId, TimeProvider time)
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, TypeStatus> _types = new(StringComparer.Ordinal);
    private int _streams;
    private long _nacks;
    private DateTimeOffset? _lastSeen;

    public void StreamOpened()
    {
        lock (_lock)
        {
            _streams++;
        }
    }

    public void StreamClosed()
    {
        lock (_lock)
        {
            _streams--;
        }
    }

    public void Seen()
    {
        lock (_lock)
        {
            _lastSeen = time.GetUtcNow();
        }
    }

    public void Sent(string typeUrl, string version, string nonce) =>
        Update(typeUrl, s => s with { SentVersion = version, SentNonce = nonce, SentAt = time.GetUtcNow() });

    public void Acked(string typeUrl, string version) =>
        Update(typeUrl, s => s with { AckedVersion = version, AckedAt = time.GetUtcNow() });

    public void Nacked(string typeUrl, string? version, string error)
    {
        Interlocked.Increment(ref _nacks);
        Update(typeUrl, s => s with { NackedVersion = version, NackError = error, NackedAt = time.GetUtcNow() });
    }

    public NodeStatus ToStatus()
    {
        lock (_lock)
        {
            return new NodeStatus(nodeId, _streams, _lastSeen, new Dictionary<string, TypeStatus>(_types, StringComparer.Ordinal))
            {
                Nacks = Interlocked.Read(ref _nacks),
            };
        }
    }

    private void Update(string typeUrl, Func<TypeStatus, TypeStatus> change)
    {
        lock (_lock)
        {
            var current = _types.TryGetValue(typeUrl, out var s) ? s : new TypeStatus(typeUrl, null, null, null, null, null, null, null);
            _types[typeUrl] = change(current);
        }
    }
}
