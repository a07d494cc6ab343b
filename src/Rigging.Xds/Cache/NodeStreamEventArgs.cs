using Envoy.Config.Core.V3;

namespace Rigging.Xds.Cache;

/// <summary>A stream of a node opened or closed: the Node message of its first request (id, metadata).</summary>
public sealed class NodeStreamEventArgs(Node node) : EventArgs
{
    public Node Node { get; } = node;
}
