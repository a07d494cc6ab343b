namespace Rigging.Samples.Bookinfo;

/// <summary>
/// One downstream call as the caller saw it: the service called, the version that answered (null when the call
/// failed or the answer was not a <see cref="Reply"/>), the HTTP status (0 when no response came), the time it
/// took, and what that service called in turn.
/// </summary>
public sealed record CallResult(string Service, string? Version, int Status, double Ms, IReadOnlyList<CallResult> Calls);
