using Rigging.Api.Diagnostics;

namespace Rigging.ControlPlane.Config;

/// <summary>A file the store rejected (its last good resources keep serving), with every message about it.</summary>
public sealed record ConfigFileError(string File, DateTimeOffset At, IReadOnlyList<Diagnostic> Messages);
