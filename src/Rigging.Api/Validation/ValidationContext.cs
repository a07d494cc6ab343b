using System.Globalization;
using Rigging.Api.Diagnostics;
using Rigging.Api.Model;

namespace Rigging.Api.Validation;

/// <summary>
/// Collects the messages about one resource. The message forms follow the Kubernetes API server's field errors
/// (<c>Required value</c>, <c>Invalid value</c>, <c>Unsupported value</c>, <c>Duplicate value</c>), which Istio's own
/// validation also produces, so users recognise them.
/// </summary>
public sealed class ValidationContext(Resource resource, List<Diagnostic> diagnostics)
{
    public Resource Resource { get; } = resource;

    public bool HasErrors { get; private set; }

    /// <summary><c>path: message</c>.</summary>
    public void Error(FieldPath path, string message) => Add(Severity.Error, path, $"{path}: {message}");

    public void Warning(FieldPath path, string message) => Add(Severity.Warning, path, $"{path}: {message}");

    public void Required(FieldPath path, string? detail = null) =>
        Error(path, detail is null ? "Required value" : $"Required value: {detail}");

    public void Invalid(FieldPath path, object? value, string detail) =>
        Error(path, $"Invalid value: {Quote(value)}: {detail}");

    public void InvalidWarning(FieldPath path, object? value, string detail) =>
        Warning(path, $"Invalid value: {Quote(value)}: {detail}");

    public void Unsupported(FieldPath path, object? value, IEnumerable<string> supported) =>
        Error(path, $"Unsupported value: {Quote(value)}: supported values: {string.Join(", ", supported.Select(s => $"\"{s}\""))}");

    public void Duplicate(FieldPath path, object? value) => Error(path, $"Duplicate value: {Quote(value)}");

    /// <summary>A field Istio still accepts but has replaced: a warning that names the replacement.</summary>
    public void Deprecated(FieldPath path, string replacement) =>
        Warning(path, $"is deprecated and may be removed; use {replacement} instead");

    /// <summary>A schema rule, written as the API server writes them: <c>path in body should ...</c>.</summary>
    public void Schema(FieldPath path, string rule) => Add(Severity.Error, path, $"{path} in body {rule}");

    /// <summary>A rule about a whole object, written as the API server writes a failed CEL rule.</summary>
    public void Rule(FieldPath path, string rule) => Error(path, $"Invalid value: \"object\": {rule}");

    public static string Quote(object? value) => value switch
    {
        null => "null",
        string s => $"\"{s}\"",
        bool b => b ? "true" : "false",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => $"\"{value}\"",
    };

    private void Add(Severity severity, FieldPath path, string message)
    {
        if (severity == Severity.Error) HasErrors = true;
        var field = path.ToString();
        var at = Resource.Locate(field);
        diagnostics.Add(new Diagnostic(severity, at.File, at.Line, at.Column, Resource.DisplayName, field, message));
    }
}
