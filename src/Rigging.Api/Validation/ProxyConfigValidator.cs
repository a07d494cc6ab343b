using Rigging.Api.Model;
using Rigging.Api.Networking;

namespace Rigging.Api.Validation;

/// <summary>Istio's rules for ProxyConfig: the selector, a non-negative concurrency and bounded variable values.</summary>
internal sealed class ProxyConfigValidator : SpecValidator<ProxyConfig>
{
    private const int MaxVariableLength = 2048;

    protected override void Validate(ProxyConfig spec, Resource resource, ValidationContext context)
    {
        PolicyTargetRules.ValidateSelector(spec.Selector, FieldPath.Spec.Child("selector"), context);
        // 0 means one worker thread per CPU core.
        if (spec.Concurrency is < 0)
            context.Schema(FieldPath.Spec.Child("concurrency"), "should be greater than or equal to 0 (0 means one worker per CPU core)");
        foreach (var (name, value) in spec.EnvironmentVariables ?? new Dictionary<string, string>())
        {
            var path = FieldPath.Spec.Child("environmentVariables").Key(name);
            if (name.Length == 0) context.Invalid(FieldPath.Spec.Child("environmentVariables"), name, "an environment variable needs a name");
            if (value is { Length: > MaxVariableLength }) context.Schema(path, $"should be at most {MaxVariableLength} chars long");
        }
    }
}
