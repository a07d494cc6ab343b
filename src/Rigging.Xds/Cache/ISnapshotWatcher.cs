namespace Rigging.Xds.Cache;

/// <summary>The seam between cache and transport: a stream watching one node's snapshot.</summary>
internal interface ISnapshotWatcher
{
    /// <summary>Called on the setter's thread; must only note the change and wake the stream, never block.</summary>
    void OnSnapshot(Snapshot snapshot, IReadOnlySet<string> changedTypes);
}
