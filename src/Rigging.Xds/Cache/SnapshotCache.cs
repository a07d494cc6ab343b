using System.Collections.Concurrent;
using System.Collections.Immutable;
using Envoy.Config.Core.V3;

namespace Rigging.Xds.Cache;

/// <summary>
/// Snapshots by node ID, and the streams watching them. Setting a snapshot checks it for consistency, swaps it
/// in, and wakes only that node's streams, and only for the types whose version changed.
/// </summary>
public sealed class SnapshotCache
{
    private readonly ConcurrentDictionary<string, NodeEntry> _nodes = new(StringComparer.Ordinal);
    private readonly TimeProvider _time;

    public SnapshotCache(TimeProvider? timeProvider = null)
    {
        _time = timeProvider ?? TimeProvider.System;
    }

    public IReadOnlyCollection<string> NodeIds => _nodes.Keys.ToList();

    /// <summary>A stream announced its node (first request); raised on the stream's thread, so handlers must not block.</summary>
    public event EventHandler<NodeStreamEventArgs>? StreamOpened;

    /// <summary>A stream that announced its node ended.</summary>
    public event EventHandler<NodeStreamEventArgs>? StreamClosed;

    /// <summary>Sets the node's snapshot, unless it is inconsistent (then the previous one keeps serving).</summary>
    public SnapshotSetResult SetSnapshot(string nodeId, Snapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var errors = snapshot.CheckConsistency();
        if (errors.Count > 0)
        {
            return new SnapshotSetResult(SnapshotSetOutcome.Inconsistent, errors, new HashSet<string>());
        }

        var entry = Entry(nodeId);
        ImmutableArray<ISnapshotWatcher> watchers;
        IReadOnlySet<string> changed;
        lock (entry.Lock)
        {
            changed = snapshot.ChangedTypesSince(entry.Snapshot);
            entry.Snapshot = snapshot;
            watchers = entry.Watchers;
        }

        if (changed.Count == 0)
        {
            return new SnapshotSetResult(SnapshotSetOutcome.Unchanged, [], changed);
        }

        foreach (var watcher in watchers)
        {
            watcher.OnSnapshot(snapshot, changed);
        }

        return new SnapshotSetResult(SnapshotSetOutcome.Set, [], changed);
    }

    public Snapshot? GetSnapshot(string nodeId) => _nodes.TryGetValue(nodeId, out var entry) ? entry.Snapshot : null;

    /// <summary>The node's xDS status, or null for a node never seen nor given a snapshot.</summary>
    public NodeStatus? GetStatus(string nodeId) => _nodes.TryGetValue(nodeId, out var entry) ? entry.Status.ToStatus() : null;

    public IReadOnlyList<NodeStatus> GetStatuses() => _nodes.Values.Select(e => e.Status.ToStatus()).ToList();

    /// <summary>Registers a stream; returns the current snapshot (or null) and a handle that unregisters it.</summary>
    internal IDisposable Watch(Node node, ISnapshotWatcher watcher, out Snapshot? current, out NodeStatusTracker status)
    {
        var entry = Entry(node.Id);
        lock (entry.Lock)
        {
            entry.Watchers = entry.Watchers.Add(watcher);
            current = entry.Snapshot;
        }

        status = entry.Status;
        StreamOpened?.Invoke(this, new NodeStreamEventArgs(node));
        return new Unwatch(this, entry, watcher, node);
    }

    private NodeEntry Entry(string nodeId) => _nodes.GetOrAdd(nodeId, id => new NodeEntry(new NodeStatusTracker(id, _time)));

    private sealed class NodeEntry(NodeStatusTracker status)
    {
        public Lock Lock { get; } = new();

        public NodeStatusTracker Status { get; } = status;

        public volatile Snapshot? Snapshot;

        public ImmutableArray<ISnapshotWatcher> Watchers = [];
    }

    private sealed class Unwatch(SnapshotCache cache, NodeEntry entry, ISnapshotWatcher watcher, Node node) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) != 0)
            {
                return;
            }

            lock (entry.Lock)
            {
                entry.Watchers = entry.Watchers.Remove(watcher);
            }

            cache.StreamClosed?.Invoke(cache, new NodeStreamEventArgs(node));
        }
    }
}
