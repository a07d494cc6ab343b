namespace Rigging.Cli.Demo.Processes;

/// <summary>A process as the kernel knows it: pid plus start time (clock ticks after boot), unique while it lives.</summary>
internal readonly record struct ProcessId(int Pid, ulong StartTicks);
