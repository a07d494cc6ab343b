using System.Globalization;

namespace Rigging.Api.Diagnostics;

/// <summary>
/// One message about the user's configuration: where it is (file, line, column, resource, field) and what is wrong.
/// <see cref="Message"/> is a whole sentence that starts with the field path, in the style of the Kubernetes API
/// server (<c>spec.http[0].route[1].weight: Invalid value: -1: ...</c>), so that it reads well on its own.
/// </summary>
public sealed record Diagnostic(
    Severity Severity,
    string File,
    int Line,
    int Column,
    string? Resource,
    string? Field,
    string Message)
{
    /// <summary>A message about a whole file (syntax, encoding, size), not about one resource.</summary>
    public static Diagnostic ForFile(Severity severity, string file, int line, int column, string message) =>
        new(severity, file, line, column, null, null, message);

    public override string ToString()
    {
        var where = Line > 0
            ? string.Create(CultureInfo.InvariantCulture, $"{File}:{Line}:{Column}")
            : File;
        var level = Severity switch
        {
            Severity.Error => "error",
            Severity.Warning => "warning",
            _ => "info",
        };
        return Resource is null ? $"{where}: {level}: {Message}" : $"{where}: {level}: {Resource}: {Message}";
    }
}
