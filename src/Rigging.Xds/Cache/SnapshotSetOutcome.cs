namespace Rigging.Xds.Cache;

/// <summary>What <see cref="SnapshotCache.SetSnapshot"/> did.</summary>
public enum SnapshotSetOutcome
{
    /// <summary>The snapshot replaced the node's previous one; streams of changed types were woken.</summary>
    Set,

    /// <summary>Every version equals the current snapshot's: nothing to push.</summary>
    Unchanged,

    /// <summary>The snapshot references names it does not hold; the previous snapshot keeps serving.</summary>
    Inconsistent,
}
