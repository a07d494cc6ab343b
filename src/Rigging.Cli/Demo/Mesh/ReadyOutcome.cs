namespace Rigging.Cli.Demo.Mesh;

/// <summary>How a bounded wait ended.</summary>
internal enum ReadyOutcome
{
    Ready,
    TimedOut,
    ChildDied,
    Cancelled,
}
