namespace Rigging.Api.Model;

/// <summary>Where something was written: a file and a 1-based line and column (0 when unknown).</summary>
public readonly record struct SourceSpan(string File, int Line, int Column);
