using Rigging.Api.Model;

namespace Rigging.Api.Loading;

// A small YAML tree of our own: positions we control, aliases shared (never copied), scalars that remember
// whether they were plain (so `80` is a number and "80" a string, as Kubernetes reads YAML).

internal abstract record Node(SourceSpan Start);

internal sealed record ScalarNode(SourceSpan Start, string Value, bool Plain) : Node(Start)
{
    /// <summary>The JSON type a plain scalar resolves to under YAML 1.2's core schema.</summary>
    public ScalarType Type { get; } = Plain ? ScalarTypes.Resolve(Value) : ScalarType.String;
}

internal sealed record SequenceNode(SourceSpan Start, IReadOnlyList<Node> Items) : Node(Start);

internal sealed record MappingNode(SourceSpan Start, IReadOnlyList<KeyValuePair<ScalarNode, Node>> Entries) : Node(Start)
{
    public Node? this[string key]
    {
        get
        {
            foreach (var (k, v) in Entries)
            {
                if (k.Value == key) return v;
            }
            return null;
        }
    }
}
