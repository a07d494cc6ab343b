using System.Text;

namespace Rigging.ControlPlane.Config;

/// <summary>Cuts a YAML stream into its documents at "---" lines, as the loader does, keeping each document's text.</summary>
internal static class DocumentSplitter
{
    public static List<string> Split(string text)
    {
        var documents = new List<string>();
        var current = new StringBuilder();
        using var reader = new StringReader(text);
        while (reader.ReadLine() is { } line)
        {
            if (line == "---" || line.StartsWith("--- ", StringComparison.Ordinal) || line.StartsWith("---\t", StringComparison.Ordinal))
            {
                Flush(documents, current);
                continue;
            }
            current.Append(line).Append('\n');
        }
        Flush(documents, current);
        return documents;
    }

    private static void Flush(List<string> documents, StringBuilder current)
    {
        var document = current.ToString();
        current.Clear();
        if (!string.IsNullOrWhiteSpace(document)) documents.Add(document);
    }
}
