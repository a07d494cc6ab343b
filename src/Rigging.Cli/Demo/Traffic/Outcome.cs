namespace Rigging.Cli.Demo.Traffic;

/// <summary>One answer seen by the demo: which service and version answered (version "?" when none did),
/// whether it succeeded, and how long it took as its caller measured it.</summary>
internal readonly record struct Outcome(string Service, string Version, bool Success, double Milliseconds);
