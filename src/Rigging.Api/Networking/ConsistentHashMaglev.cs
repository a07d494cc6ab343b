namespace Rigging.Api.Networking;

/// <summary>Maglev algorithm settings.</summary>
public sealed record ConsistentHashMaglev
{
    public ulong? TableSize { get; init; }
}
