namespace Rigging.E2E.Tests.Infrastructure;

/// <summary>A scenario failure with the mesh's logs attached (the processes' last lines, syncz, config errors).</summary>
public sealed class MeshFailureException(string message, Exception inner) : Exception(message, inner);
