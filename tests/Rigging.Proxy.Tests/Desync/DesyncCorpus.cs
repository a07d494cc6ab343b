using System.Globalization;
using System.Text;

namespace Rigging.Proxy.Tests.Desync;

/// <summary>One request of the http-desync corpus (/work/shared/conformance/http-desync, Apache-2.0) and its verdict.</summary>
internal sealed record DesyncCase(string File, string Name, string Method, string Uri, string Version, List<(string Name, string Value)> Headers, string Tier);

/// <summary>Reads the corpus's YAML (a small, fixed shape: a list of cases with name, uri, method, version, headers, expected.tier).</summary>
internal static class DesyncCorpus
{
    public const string Folder = "/work/shared/conformance/http-desync";

    public static List<DesyncCase> Load()
    {
        var cases = new List<DesyncCase>();
        if (!Directory.Exists(Folder)) return cases;
        foreach (var path in Directory.GetFiles(Folder, "*.yaml").Order(StringComparer.Ordinal))
        {
            DesyncCase? current = null;
            string? headerName = null;
            var inExpected = false;
            foreach (var raw in File.ReadLines(path))
            {
                var line = raw.TrimEnd();
                if (line.TrimStart().StartsWith('#') || line.Length == 0) continue;
                if (line.StartsWith("- name:", StringComparison.Ordinal))
                {
                    if (current is not null) cases.Add(current);
                    current = new DesyncCase(Path.GetFileName(path), Scalar(line[7..]), "", "", "", [], "");
                    inExpected = false;
                    continue;
                }
                if (current is null) continue;
                var trimmed = line.TrimStart();
                var indent = line.Length - trimmed.Length;
                if (indent == 2 && trimmed.StartsWith("uri:", StringComparison.Ordinal)) current = current with { Uri = Scalar(trimmed[4..]) };
                else if (indent == 2 && trimmed.StartsWith("method:", StringComparison.Ordinal)) current = current with { Method = Scalar(trimmed[7..]) };
                else if (indent == 2 && trimmed.StartsWith("version:", StringComparison.Ordinal)) current = current with { Version = Scalar(trimmed[8..]) };
                else if (indent == 2 && trimmed.StartsWith("expected:", StringComparison.Ordinal)) inExpected = true;
                else if (indent == 2 && trimmed.StartsWith("headers:", StringComparison.Ordinal)) inExpected = false;
                else if (inExpected && indent == 4 && trimmed.StartsWith("tier:", StringComparison.Ordinal)) current = current with { Tier = Scalar(trimmed[5..]) };
                else if (!inExpected && trimmed.StartsWith("- name:", StringComparison.Ordinal)) headerName = Scalar(trimmed[7..]);
                else if (!inExpected && headerName is not null && trimmed.StartsWith("value:", StringComparison.Ordinal))
                {
                    current.Headers.Add((headerName, Scalar(trimmed[6..])));
                    headerName = null;
                }
            }
            if (current is not null) cases.Add(current);
        }
        return cases;
    }

    /// <summary>A YAML scalar: plain, 'single-quoted' or "double-quoted" with \xNN, \t, \r, \n, \\ and \" escapes.</summary>
    private static string Scalar(string text)
    {
        text = text.Trim();
        if (text.Length >= 2 && text[0] == '\'' && text[^1] == '\'') return text[1..^1].Replace("''", "'", StringComparison.Ordinal);
        if (text.Length < 2 || text[0] != '"' || text[^1] != '"') return text;
        var inner = text[1..^1];
        var result = new StringBuilder(inner.Length);
        for (var i = 0; i < inner.Length; i++)
        {
            var c = inner[i];
            if (c != '\\' || i + 1 >= inner.Length)
            {
                result.Append(c);
                continue;
            }
            var e = inner[++i];
            switch (e)
            {
                case 'x' when i + 2 < inner.Length:
                    result.Append((char)int.Parse(inner.AsSpan(i + 1, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture));
                    i += 2;
                    break;
                case 't': result.Append('\t'); break;
                case 'r': result.Append('\r'); break;
                case 'n': result.Append('\n'); break;
                case '0': result.Append('\0'); break;
                default: result.Append(e); break;
            }
        }
        return result.ToString();
    }
}
