namespace Rigging.Api.Validation;

/// <summary><c>exportTo</c>: "." (this namespace), "*" (all), "~" (none) or namespace names, each once.</summary>
internal static class ExportToRules
{
    public static void Validate(IReadOnlyList<string>? exportTo, FieldPath path, ValidationContext context)
    {
        if (exportTo is null) return;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < exportTo.Count; i++)
        {
            var value = exportTo[i];
            if (value is null) continue;
            var at = path.Index(i);
            if (!seen.Add(value)) context.Duplicate(at, value);
            else if (value is not ("." or "*" or "~") && !KubernetesNames.IsDns1123Label(value))
                context.Invalid(at, value, "exportTo takes \".\", \"*\", \"~\" or a namespace name");
        }
        if (seen.Contains("*") && seen.Count > 1) context.Invalid(path, "*", "\"*\" exports to every namespace and cannot be combined with others");
        if (seen.Contains("~") && seen.Count > 1) context.Invalid(path, "~", "\"~\" exports to no namespace and cannot be combined with others");
    }
}
