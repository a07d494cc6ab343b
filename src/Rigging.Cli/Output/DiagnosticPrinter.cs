using System.Text.Json;
using System.Text.Json.Serialization;
using Rigging.Api.Diagnostics;
using Rigging.Api.Loading;

namespace Rigging.Cli.Output;

/// <summary>Prints validation messages for people (one line each, then a summary) or as JSON.</summary>
internal static class DiagnosticPrinter
{
    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        WriteIndented = true,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping, // output for terminals and tools, not HTML
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    public static void PrintHuman(LoadResult result, TextWriter output, bool color)
    {
        foreach (var diagnostic in result.Diagnostics)
        {
            var (start, end) = (color, diagnostic.Severity) switch
            {
                (false, _) => ("", ""),
                (true, Severity.Error) => ("\u001b[31m", "\u001b[0m"),
                (true, Severity.Warning) => ("\u001b[33m", "\u001b[0m"),
                _ => ("\u001b[2m", "\u001b[0m"),
            };
            output.WriteLine(start + diagnostic + end);
        }
        var (errors, warnings) = Count(result);
        var files = result.Resources.Select(r => r.Source.File).Distinct(StringComparer.Ordinal).Count();
        var summary = errors == 0
            ? $"{Plural(result.Resources.Count, "resource")} in {Plural(files, "file")}: valid"
            : $"{Plural(errors, "error")} in {Plural(result.Resources.Count, "resource")} from {Plural(files, "file")}: invalid";
        if (warnings > 0) summary += $" ({Plural(warnings, "warning")})";
        output.WriteLine(summary);
    }

    public static void PrintJson(LoadResult result, TextWriter output)
    {
        var (errors, warnings) = Count(result);
        var report = new
        {
            Valid = errors == 0,
            Resources = result.Resources.Count,
            Errors = errors,
            Warnings = warnings,
            Messages = result.Diagnostics,
        };
        output.WriteLine(JsonSerializer.Serialize(report, Json));
    }

    private static (int Errors, int Warnings) Count(LoadResult result) =>
        (result.Diagnostics.Count(d => d.Severity == Severity.Error), result.Diagnostics.Count(d => d.Severity == Severity.Warning));

    private static string Plural(int n, string noun) => n == 1 ? $"1 {noun}" : $"{n} {noun}s";
}
