namespace Rigging.Xds.Cache;

/// <summary>Where one node stands for one resource type: what was sent, ACKed, NACKed (and why).</summary>
public sealed record TypeStatus(
    string TypeUrl,
    string? SentVersion,
    string? SentNonce,
    string? AckedVersion,
    DateTimeOffset? AckedAt,
    string? NackedVersion,
    string? NackError,
    DateTimeOffset? NackedAt)
{
    /// <summary>When the server last handed a response of this type to the node's stream.</summary>
    public DateTimeOffset? SentAt { get; init; }
}
