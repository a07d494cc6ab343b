namespace Rigging.Xds.Cache;

/// <summary>A node's xDS status: streams open, last request seen, and per type what was sent/ACKed/NACKed.</summary>
public sealed record NodeStatus(
    string NodeId,
    int ConnectedStreams,
    DateTimeOffset? LastSeen,
    IReadOnlyDictionary<string, TypeStatus> Types)
{
    /// <summary>NACKs received from this node since it was first seen (every type, every stream).</summary>
    public long Nacks { get; init; }

    public TypeStatus? For(string typeUrl) => Types.TryGetValue(typeUrl, out var status) ? status : null;
}
