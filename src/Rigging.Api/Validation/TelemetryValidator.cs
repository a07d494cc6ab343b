using Rigging.Api.Model;
using Rigging.Api.Telemetry;

namespace Rigging.Api.Validation;

/// <summary>Istio's rules for Telemetry: what it applies to, provider references, metric overrides, tracing
/// (sampling and custom tags) and access log filters.</summary>
internal sealed partial class TelemetryValidator : SpecValidator<Telemetry.Telemetry>
{
    protected override void Validate(Telemetry.Telemetry spec, Resource resource, ValidationContext context)
    {
        PolicyTargetRules.Validate(spec.Selector, spec.TargetRef, spec.TargetRefs, context);

        var metricsPath = FieldPath.Spec.Child("metrics");
        for (var i = 0; spec.Metrics is { } metrics && i < metrics.Count; i++)
        {
            if (metrics[i] is { } m) ValidateMetrics(m, metricsPath.Index(i), context);
        }

        var tracingPath = FieldPath.Spec.Child("tracing");
        if (spec.Tracing is { Count: > 1 })
            context.Warning(tracingPath, "multiple tracing configurations are not currently supported; only the first is used");
        for (var i = 0; spec.Tracing is { } tracing && i < tracing.Count; i++)
        {
            if (tracing[i] is { } t) ValidateTracing(t, tracingPath.Index(i), context);
        }

        var loggingPath = FieldPath.Spec.Child("accessLogging");
        for (var i = 0; spec.AccessLogging is { } logging && i < logging.Count; i++)
        {
            if (logging[i] is not { } l) continue;
            ValidateProviders(l.Providers, loggingPath.Index(i).Child("providers"), context);
            if (l.Filter?.Expression is { } expression)
                ValidateFilterExpression(expression, loggingPath.Index(i).Child("filter").Child("expression"), context);
        }
    }

    private static void ValidateProviders(IReadOnlyList<ProviderRef>? providers, FieldPath path, ValidationContext context)
    {
        for (var i = 0; providers is not null && i < providers.Count; i++)
        {
            if (providers[i] is not { } provider) continue;
            var namePath = path.Index(i).Child("name");
            if (provider.Name is null) context.Required(namePath, "the name of a provider defined in mesh config's extensionProviders");
            else ValueRules.NotEmpty(provider.Name, namePath, context);
        }
    }

    private static void ValidateMetrics(Metrics metrics, FieldPath path, ValidationContext context)
    {
        ValidateProviders(metrics.Providers, path.Child("providers"), context);
        ValueRules.AtLeastOneMillisecond(metrics.ReportingInterval, path.Child("reportingInterval"), context);
        for (var i = 0; metrics.Overrides is { } overrides && i < overrides.Count; i++)
        {
            if (overrides[i] is not { } o) continue;
            var overridePath = path.Child("overrides").Index(i);
            if (o.Match is { } match)
            {
                var matchPath = overridePath.Child("match");
                if (match.Metric is not null && match.CustomMetric is not null)
                    context.Rule(matchPath, "only one of metric or customMetric can be set");
                ValueRules.NotEmpty(match.CustomMetric, matchPath.Child("customMetric"), context);
            }
            foreach (var (tag, tagOverride) in o.TagOverrides ?? new Dictionary<string, MetricsTagOverride>())
            {
                ValidateTagOverride(tag, tagOverride, overridePath.Child("tagOverrides"), context);
            }
        }
    }

    private static void ValidateTagOverride(string tag, MetricsTagOverride? tagOverride, FieldPath path, ValidationContext context)
    {
        if (tag.Length == 0) context.Warning(path, "a tag name should not be empty");
        if (tagOverride is null) return;
        var valuePath = path.Key(tag).Child("value");
        // UPSERT is the default operation.
        if (tagOverride.Operation is null or TagOverrideOperation.UPSERT && string.IsNullOrEmpty(tagOverride.Value))
            context.Required(valuePath, "value must be set when operation is UPSERT: a CEL expression for the tag's value, such as request.host");
        if (tagOverride.Operation == TagOverrideOperation.REMOVE && tagOverride.Value is not null)
            context.Invalid(valuePath, tagOverride.Value, "value must not be set when operation is REMOVE");
    }

    private static void ValidateTracing(Tracing tracing, FieldPath path, ValidationContext context)
    {
        if (tracing.Providers is { Count: > 1 })
            context.Warning(path.Child("providers"), "multiple providers are not currently supported; only the first is used");
        ValidateProviders(tracing.Providers, path.Child("providers"), context);
        if (tracing.RandomSamplingPercentage is { } percentage)
        {
            var percentagePath = path.Child("randomSamplingPercentage");
            if (percentage < 0) context.Schema(percentagePath, "should be greater than or equal to 0");
            else if (percentage > 100) context.Schema(percentagePath, "should be less than or equal to 100");
        }
        foreach (var (name, tag) in tracing.CustomTags ?? new Dictionary<string, TracingCustomTag>())
        {
            var tagPath = path.Child("customTags").Key(name);
            if (name.Length == 0) context.Invalid(path.Child("customTags"), name, "tag name may not be empty");
            if (tag is not null) ValidateCustomTag(tag, tagPath, context);
        }
    }
}
