using Rigging.Api.Diagnostics;
using Rigging.Api.Loading;
using Rigging.Api.Model;

namespace Rigging.Api.Validation;

/// <summary>Reads configuration and checks every resource with Istio's rules, collecting every message.</summary>
public static class ConfigValidator
{
    private static readonly Dictionary<Type, ISpecValidator> Validators =
        SpecValidators.All.ToDictionary(v => v.SpecType);

    /// <summary>Loads the paths and validates what they hold; messages are ordered by file and line.</summary>
    public static LoadResult ValidatePaths(IEnumerable<string> paths) => Validate(ConfigLoader.Load(paths));

    /// <summary>Loads text (an API request body, a test case) and validates it.</summary>
    public static LoadResult ValidateText(string file, string text) => Validate(ConfigLoader.LoadText(file, text));

    public static LoadResult Validate(LoadResult loaded)
    {
        var diagnostics = new List<Diagnostic>(loaded.Diagnostics);
        foreach (var resource in loaded.Resources)
        {
            Validate(resource, diagnostics);
        }
        var ordered = diagnostics
            .OrderBy(d => d.File, StringComparer.Ordinal)
            .ThenBy(d => d.Line)
            .ThenBy(d => d.Column)
            .ToList();
        return loaded with { Diagnostics = ordered };
    }

    /// <summary>Validates one resource, adding its messages; true when it has no error.</summary>
    public static bool Validate(Resource resource, List<Diagnostic> diagnostics)
    {
        var context = new ValidationContext(resource, diagnostics);
        MetadataRules.Validate(resource, context);
        if (resource.Spec is not null && Validators.TryGetValue(resource.Spec.GetType(), out var validator))
        {
            validator.Validate(resource, context);
        }
        return !context.HasErrors;
    }
}
