namespace Rigging.Samples.Bookinfo;

/// <summary>What every role answers: who it is and what its downstream calls gave.</summary>
public sealed record Reply(string Service, string Version, IReadOnlyList<CallResult> Calls);
