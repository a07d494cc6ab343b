using Rigging.Api.Extensions;
using Rigging.Api.Model;

namespace Rigging.Api.Validation;

/// <summary>Istio's rules for WasmPlugin: what it applies to, where the module comes from (url, sha256, pull secret),
/// its VM environment and the traffic it sees.</summary>
internal sealed class WasmPluginValidator : SpecValidator<WasmPlugin>
{
    private static readonly string[] Schemes = ["http", "https", "file", "oci"];
    private const int MaxEnv = 256;

    protected override void Validate(WasmPlugin spec, Resource resource, ValidationContext context)
    {
        PolicyTargetRules.Validate(spec.Selector, spec.TargetRef, spec.TargetRefs, context);
        // A url written as null was reported by the binder already.
        if (spec.Url is not null || !resource.FieldSpans.ContainsKey("spec.url")) ValidateUrl(spec.Url, context);
        ValidateSha256(spec.Sha256, context);
        MaxLength(spec.ImagePullSecret, FieldPath.Spec.Child("imagePullSecret"), 253, context);
        MaxLength(spec.PluginName, FieldPath.Spec.Child("pluginName"), 256, context);
        ValidateVmConfig(spec.VmConfig, FieldPath.Spec.Child("vmConfig"), context);
        ValidateMatch(spec.Match, FieldPath.Spec.Child("match"), context);
    }

    private static void ValidateUrl(string? url, ValidationContext context)
    {
        var path = FieldPath.Spec.Child("url");
        if (url is null)
        {
            context.Required(path, "where to load the module from, such as oci://registry/plugin:1.0 or https://host/plugin.wasm");
            return;
        }
        if (url.Length == 0)
        {
            context.Schema(path, "should be at least 1 chars long");
            return;
        }
        // A URL without a scheme is read as http://, so "registry/plugin" works.
        var scheme = UrlRules.RequestUriScheme(url) ?? UrlRules.RequestUriScheme("http://" + url);
        if (scheme is null || (scheme.Length > 0 && !Schemes.Contains(scheme)))
            context.Invalid(path, url, $"url must have schema one of [{string.Join(", ", Schemes)}], such as oci://registry/plugin:1.0");
    }

    private static void ValidateSha256(string? sha256, ValidationContext context)
    {
        if (string.IsNullOrEmpty(sha256)) return;
        if (sha256.Length != 64 || !sha256.All(c => char.IsAsciiDigit(c) || c is >= 'a' and <= 'f'))
            context.Schema(FieldPath.Spec.Child("sha256"), "should match '(^$|^[a-f0-9]{64}$)' (64 lower-case hex digits)");
    }

    private static void MaxLength(string? value, FieldPath path, int max, ValidationContext context)
    {
        if (value is null) return;
        ValueRules.NotEmpty(value, path, context);
        if (value.Length > max) context.Schema(path, $"should be at most {max} chars long");
    }

    private static void ValidateVmConfig(VmConfig? vm, FieldPath path, ValidationContext context)
    {
        if (vm?.Env is not { } env) return;
        var envPath = path.Child("env");
        if (env.Count > MaxEnv) context.Error(envPath, $"Too many: {env.Count}: must have at most {MaxEnv} items");
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < env.Count; i++)
        {
            if (env[i] is not { } variable) continue;
            var itemPath = envPath.Index(i);
            if (variable.Name is null) context.Required(itemPath.Child("name"), "the environment variable's name");
            else
            {
                MaxLength(variable.Name, itemPath.Child("name"), 256, context);
                if (variable.Name.Length > 0 && !names.Add(variable.Name)) context.Duplicate(itemPath.Child("name"), variable.Name);
            }
            if (variable.Value is { Length: > 2048 }) context.Schema(itemPath.Child("value"), "should be at most 2048 chars long");
            if (variable.ValueFrom == EnvValueSource.HOST && variable.Value is not null)
                context.Rule(itemPath, "value may only be set when valueFrom is INLINE; with HOST the value is read from the proxy's environment");
        }
    }

    private static void ValidateMatch(IReadOnlyList<WasmPluginTrafficSelector>? match, FieldPath path, ValidationContext context)
    {
        for (var i = 0; match is not null && i < match.Count; i++)
        {
            if (match[i]?.Ports is not { } ports) continue;
            var seen = new HashSet<uint>();
            for (var j = 0; j < ports.Count; j++)
            {
                if (ports[j] is not { } port) continue;
                var numberPath = path.Index(i).Child("ports").Index(j).Child("number");
                if (port.Number is not { } number) context.Required(numberPath, "the destination port to match");
                else if (number is 0 or > 65535) context.Invalid(numberPath, number, ValueRules.PortRange);
                else if (!seen.Add(number)) context.Duplicate(numberPath, number);
            }
        }
    }
}
