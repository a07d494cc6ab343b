using Rigging.Api.Model;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Rigging.Api.Loading;

/// <summary>
/// Reads a multi-document YAML (or JSON) text into <see cref="Node"/> trees. The text is cut into documents at
/// <c>---</c> lines first, so a syntax error in one document does not hide the others.
/// </summary>
internal static class YamlReader
{
    /// <summary>Deeper nesting than this is refused before it can exhaust the stack.</summary>
    public const int MaxDepth = 256;

    public static IEnumerable<YamlDocument> ReadDocuments(string file, string text)
    {
        foreach (var (firstLine, chunk) in SplitDocuments(text))
        {
            yield return ReadDocument(file, firstLine, chunk);
        }
    }

    /// <summary>Splits at document markers (<c>---</c> or <c>...</c> at column 0), keeping each chunk's first line.</summary>
    private static IEnumerable<(int FirstLine, string Text)> SplitDocuments(string text)
    {
        var lines = text.Split('\n');
        var start = 0;
        for (var i = 0; i <= lines.Length; i++)
        {
            var end = i == lines.Length;
            if (!end && !IsMarker(lines[i])) continue;
            if (i > start) yield return (start + 1, string.Join('\n', lines, start, i - start));
            // A "--- value" line starts a document whose content begins on the marker line itself.
            if (!end && lines[i].StartsWith("---", StringComparison.Ordinal) && lines[i].Length > 3 && lines[i][3..].Trim().Length > 0
                && !lines[i][3..].TrimStart().StartsWith('#'))
            {
                start = i;
                lines[i] = "   " + lines[i][3..];
            }
            else
            {
                start = i + 1;
            }
        }
    }

    private static bool IsMarker(string line)
    {
        var trimmed = line.TrimEnd('\r');
        if (trimmed.StartsWith("---", StringComparison.Ordinal)) return trimmed.Length == 3 || char.IsWhiteSpace(trimmed[3]);
        return trimmed.StartsWith("...", StringComparison.Ordinal) && (trimmed.Length == 3 || char.IsWhiteSpace(trimmed[3]));
    }

    private static YamlDocument ReadDocument(string file, int firstLine, string text)
    {
        var start = new SourceSpan(file, firstLine, 1);
        try
        {
            var parser = new Parser(new StringReader(text));
            var builder = new TreeBuilder(file, firstLine - 1);
            Node? root = null;
            var documents = 0;
            while (parser.MoveNext())
            {
                var current = parser.Current!;
                if (current is DocumentStart) documents++;
                if (documents > 1 && current is DocumentStart)
                {
                    var at = builder.Span(current.Start);
                    return new YamlDocument(start, root, "more than one document in a chunk", at);
                }
                root = builder.Add(current) ?? root;
            }
            return new YamlDocument(start, root, null, start);
        }
        catch (YamlException e)
        {
            var at = new SourceSpan(file, (int)e.Start.Line + firstLine - 1, (int)e.Start.Column);
            return new YamlDocument(start, null, CleanMessage(e.Message), at);
        }
        catch (DepthException e)
        {
            return new YamlDocument(start, null, e.Message, e.At);
        }
    }

    // YamlDotNet prefixes its messages with the position, which we print ourselves.
    private static string CleanMessage(string message)
    {
        var close = message.IndexOf("): ", StringComparison.Ordinal);
        var text = message.StartsWith("(Line:", StringComparison.Ordinal) && close > 0 ? message[(close + 3)..] : message;
        return text.TrimEnd('.', ' ');
    }

    private sealed class DepthException(string message, SourceSpan at) : Exception(message)
    {
        public SourceSpan At { get; } = at;
    }

    /// <summary>Builds the tree from parser events without recursion; aliases point at their anchor's node.</summary>
    private sealed class TreeBuilder(string file, int lineOffset)
    {
        private readonly Stack<(SourceSpan Start, List<Node> Items, bool IsMapping, string? Anchor)> _open = new();
        private readonly Dictionary<string, Node> _anchors = new(StringComparer.Ordinal);

        public SourceSpan Span(Mark mark) => new(file, (int)mark.Line + lineOffset, (int)mark.Column);

        /// <summary>Feeds one event; returns the root when the document's top node completes.</summary>
        public Node? Add(ParsingEvent e)
        {
            switch (e)
            {
                case Scalar s:
                    // An explicit !!str tag makes a plain scalar a string.
                    var plain = s.Style == ScalarStyle.Plain && (s.Tag.IsEmpty || s.Tag.Value != "tag:yaml.org,2002:str");
                    return Complete(new ScalarNode(Span(s.Start), s.Value, plain), s.Anchor.IsEmpty ? null : s.Anchor.Value);
                case AnchorAlias a:
                    if (!_anchors.TryGetValue(a.Value.Value, out var target))
                        throw new YamlException(a.Start, a.End, $"alias *{a.Value.Value} names no anchor");
                    return Complete(target, null);
                case SequenceStart ss:
                    Open(ss.Start, false, ss.Anchor.IsEmpty ? null : ss.Anchor.Value);
                    return null;
                case MappingStart ms:
                    Open(ms.Start, true, ms.Anchor.IsEmpty ? null : ms.Anchor.Value);
                    return null;
                case SequenceEnd or MappingEnd:
                    var (start, items, isMapping, anchor) = _open.Pop();
                    Node node = isMapping ? new MappingNode(start, Pairs(items)) : new SequenceNode(start, items);
                    return Complete(node, anchor);
                default:
                    return null;
            }
        }

        private void Open(Mark mark, bool isMapping, string? anchor)
        {
            if (_open.Count >= MaxDepth)
                throw new DepthException($"nesting is deeper than {MaxDepth} levels", Span(mark));
            _open.Push((Span(mark), new List<Node>(), isMapping, anchor));
        }

        private Node? Complete(Node node, string? anchor)
        {
            if (anchor is not null) _anchors[anchor] = node;
            if (_open.Count == 0) return node;
            _open.Peek().Items.Add(node);
            return null;
        }

        private static List<KeyValuePair<ScalarNode, Node>> Pairs(List<Node> items)
        {
            var pairs = new List<KeyValuePair<ScalarNode, Node>>(items.Count / 2);
            for (var i = 0; i + 1 < items.Count; i += 2)
            {
                // Complex keys (a mapping as a key) have no meaning in Kubernetes YAML; their text is kept for messages.
                var key = items[i] as ScalarNode ?? new ScalarNode(items[i].Start, "<complex key>", false);
                pairs.Add(new(key, items[i + 1]));
            }
            return pairs;
        }
    }
}
