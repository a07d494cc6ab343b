using FluentAssertions;
using Rigging.Api.Diagnostics;
using Rigging.Api.Validation;

namespace Rigging.Api.Tests.Validation;

public sealed class TelemetryValidatorTests
{
    private static IReadOnlyList<Diagnostic> Validate(string spec) => ConfigValidator.ValidateText("x.yaml", $"""
        apiVersion: telemetry.istio.io/v1
        kind: Telemetry
        metadata:
          name: mesh
        spec:
        {spec}
        """).Diagnostics;

    private static IEnumerable<string> Errors(string spec) =>
        Validate(spec).Where(d => d.Severity == Severity.Error).Select(d => d.Message);

    [Fact]
    public void Sampling_percentage_above_100_is_rejected()
    {
        Errors("""
              tracing:
              - randomSamplingPercentage: 150
            """).Should().Contain("spec.tracing[0].randomSamplingPercentage in body should be less than or equal to 100");
    }

    [Fact]
    public void Custom_tag_with_two_sources_is_rejected()
    {
        Errors("""
              tracing:
              - customTags:
                  team:
                    literal:
                      value: web
                    header:
                      name: x-team
            """).Should().Contain(m => m.StartsWith("spec.tracing[0].customTags[team]: Invalid value: \"object\": only one of literal, environment, header or formatter", StringComparison.Ordinal));
    }

    [Fact]
    public void Tag_override_without_operation_needs_a_value_because_upsert_is_the_default()
    {
        Errors("""
              metrics:
              - overrides:
                - tagOverrides:
                    request_host: {}
            """).Should().Contain(m => m.StartsWith("spec.metrics[0].overrides[0].tagOverrides[request_host].value: Required value", StringComparison.Ordinal));
    }

    [Fact]
    public void Access_log_filter_with_unbalanced_parenthesis_is_rejected()
    {
        Errors("""
              accessLogging:
              - filter:
                  expression: "(response.code >= 400"
            """).Should().Contain(m => m.StartsWith("spec.accessLogging[0].filter.expression: Invalid value: \"(response.code >= 400\": must be a valid CEL expression", StringComparison.Ordinal));
    }

    [Fact]
    public void Two_tracing_entries_warn_that_only_the_first_is_used()
    {
        var diagnostics = Validate("""
              tracing:
              - providers: [{name: zipkin}]
              - providers: [{name: otel}]
            """);

        diagnostics.Should().NotContain(d => d.Severity == Severity.Error);
        diagnostics.Should().ContainSingle(d => d.Severity == Severity.Warning && d.Field == "spec.tracing");
    }
}
