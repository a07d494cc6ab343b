namespace Rigging.Cli.Demo;

/// <summary>The <c>rig demo</c> command line as a value.</summary>
/// <param name="Duration">Run this long after the mesh is ready, print a summary and exit; null: until Ctrl-C.</param>
/// <param name="WorkDirectory">Where the working config and logs go (default .build/demo in the repository).</param>
/// <param name="RequestsPerSecond">Steady rate of requests to productpage.</param>
internal sealed record DemoOptions(TimeSpan? Duration, string? WorkDirectory, int RequestsPerSecond);
