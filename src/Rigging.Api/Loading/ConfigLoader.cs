using System.Text;
using Rigging.Api.Diagnostics;
using Rigging.Api.Model;

namespace Rigging.Api.Loading;

/// <summary>
/// Reads Istio and Kubernetes resources from YAML and JSON files and directories. Never throws on bad input:
/// every problem becomes a <see cref="Diagnostic"/> and the rest is still read.
/// </summary>
public static class ConfigLoader
{
    /// <summary>Larger files are refused rather than read into memory.</summary>
    public const long MaxFileBytes = 64L * 1024 * 1024;

    private static readonly string[] Extensions = [".yaml", ".yml", ".json"];

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static LoadResult Load(IEnumerable<string> paths)
    {
        var resources = new List<Resource>();
        var diagnostics = new List<Diagnostic>();
        foreach (var file in ExpandPaths(paths, diagnostics))
        {
            ReadFile(file, resources, diagnostics);
        }
        return new LoadResult(resources, diagnostics);
    }

    /// <summary>Reads resources from text already in memory; <paramref name="file"/> names it in messages.</summary>
    public static LoadResult LoadText(string file, string text)
    {
        var resources = new List<Resource>();
        var diagnostics = new List<Diagnostic>();
        ReadText(file, text, resources, diagnostics);
        return new LoadResult(resources, diagnostics);
    }

    /// <summary>Files named directly, and the .yaml/.yml/.json files under directories, in a stable order.</summary>
    public static IReadOnlyList<string> ExpandPaths(IEnumerable<string> paths, List<Diagnostic> diagnostics)
    {
        var files = new List<string>();
        foreach (var path in paths)
        {
            if (Directory.Exists(path))
            {
                var found = Directory.EnumerateFiles(path, "*", SearchOption.AllDirectories)
                    .Where(f => Extensions.Contains(Path.GetExtension(f), StringComparer.OrdinalIgnoreCase))
                    .Order(StringComparer.Ordinal)
                    .ToList();
                if (found.Count == 0)
                    diagnostics.Add(Diagnostic.ForFile(Severity.Warning, path, 0, 0, "the directory has no .yaml, .yml or .json files"));
                files.AddRange(found);
            }
            else if (File.Exists(path))
            {
                files.Add(path);
            }
            else
            {
                diagnostics.Add(Diagnostic.ForFile(Severity.Error, path, 0, 0, "no such file or directory"));
            }
        }
        return files;
    }

    private static void ReadFile(string file, List<Resource> resources, List<Diagnostic> diagnostics)
    {
        string text;
        try
        {
            var length = new FileInfo(file).Length;
            if (length > MaxFileBytes)
            {
                diagnostics.Add(Diagnostic.ForFile(Severity.Error, file, 0, 0,
                    $"the file is {length / (1024 * 1024)} MiB; configuration files are read up to {MaxFileBytes / (1024 * 1024)} MiB"));
                return;
            }
            var bytes = File.ReadAllBytes(file);
            var nul = Array.IndexOf(bytes, (byte)0);
            if (nul >= 0)
            {
                diagnostics.Add(Diagnostic.ForFile(Severity.Error, file, 0, 0, $"not a text file: a NUL byte at offset {nul}; YAML and JSON are text"));
                return;
            }
            text = StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException e)
        {
            diagnostics.Add(Diagnostic.ForFile(Severity.Error, file, 0, 0, $"not UTF-8 text (invalid bytes at offset {e.Index}); YAML and JSON files must be UTF-8"));
            return;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            diagnostics.Add(Diagnostic.ForFile(Severity.Error, file, 0, 0, $"cannot read the file: {e.Message}"));
            return;
        }
        ReadText(file, text, resources, diagnostics);
    }

    private static void ReadText(string file, string text, List<Resource> resources, List<Diagnostic> diagnostics)
    {
        if (text.Length > 0 && text[0] == '\uFEFF') text = text[1..];
        if (string.IsNullOrWhiteSpace(text))
        {
            diagnostics.Add(Diagnostic.ForFile(Severity.Warning, file, 0, 0, "the file is empty"));
            return;
        }
        var reader = new ResourceReader(resources, diagnostics);
        foreach (var document in YamlReader.ReadDocuments(file, text))
        {
            reader.Read(document);
        }
    }
}
