namespace Rigging.Api.Networking;

/// <summary>Ring hash algorithm settings.</summary>
public sealed record ConsistentHashRingHash
{
    public ulong? MinimumRingSize { get; init; }
}
