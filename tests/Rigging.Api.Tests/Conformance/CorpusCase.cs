using System.Text.RegularExpressions;

namespace Rigging.Api.Tests.Conformance;

/// <summary>One document of Istio's validation corpus, with the error text Istio gives for it (invalid cases).</summary>
public sealed partial record CorpusCase(string File, int Index, string Text, string? ExpectedError)
{
    public override string ToString() => $"{File}#{Index}";

    /// <summary>Splits a corpus file at <c>---</c> lines, skipping documents that are only comments.</summary>
    public static IEnumerable<CorpusCase> Read(string path)
    {
        var name = System.IO.Path.GetFileName(path);
        var chunks = Separator().Split(System.IO.File.ReadAllText(path));
        var index = 0;
        foreach (var chunk in chunks)
        {
            var meaningful = chunk.Split('\n').Any(l => l.Trim().Length > 0 && !l.TrimStart().StartsWith('#'));
            if (!meaningful) continue;
            var err = ErrorLine().Match(chunk);
            yield return new CorpusCase(name, index++, chunk, err.Success ? Unquote(err.Groups[1].Value.Trim()) : null);
        }
    }

    private static string Unquote(string value) => value switch
    {
        ['\'', .., '\''] => value[1..^1].Replace("''", "'", StringComparison.Ordinal),
        ['"', .., '"'] => Regex.Unescape(value[1..^1]),
        _ => value,
    };

    [GeneratedRegex(@"^---[ \t]*\r?$", RegexOptions.Multiline)]
    private static partial Regex Separator();

    [GeneratedRegex(@"^_err:(.*)$", RegexOptions.Multiline)]
    private static partial Regex ErrorLine();
}
