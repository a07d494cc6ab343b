namespace Rigging.Xds.Cache;

/// <summary>A node's xDS status: streams open, last request seen, and per type what was sent/ACKed/NACKed.</summary>
public sealed record NodeStatus(
    string NodeId,
    int ConnectedStreams,
    DateTimeOffset? LastSeen,
    IReadOnlyDictionary<string, TypeStatus> Types)
{
    public TypeStatus? For(string typeUrl) => Types.TryGetValue(typeUrl, out var status) ? status : null;
}
