namespace Rigging.Xds.Cache;

/// <summary>The outcome of setting a snapshot, with the consistency errors when it was refused.</summary>
public sealed record SnapshotSetResult(SnapshotSetOutcome Outcome, IReadOnlyList<string> Errors, IReadOnlySet<string> ChangedTypes)
{
    public bool Applied => Outcome != SnapshotSetOutcome.Inconsistent;
}
