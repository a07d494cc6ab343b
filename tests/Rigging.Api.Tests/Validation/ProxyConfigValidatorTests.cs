using FluentAssertions;
using Rigging.Api.Diagnostics;
using Rigging.Api.Validation;

namespace Rigging.Api.Tests.Validation;

public sealed class ProxyConfigValidatorTests
{
    private static IReadOnlyList<Diagnostic> Validate(string spec) => ConfigValidator.ValidateText("x.yaml", $"""
        apiVersion: networking.istio.io/v1beta1
        kind: ProxyConfig
        metadata:
          name: proxy
        spec:
        {spec}
        """).Diagnostics;

    [Fact]
    public void Wildcard_selector_key_is_rejected()
    {
        Validate("""
              selector:
                matchLabels:
                  "app*": web
            """).Should().Contain(d => d.Severity == Severity.Error
                && d.Message.StartsWith("spec.selector.matchLabels[app*]: Invalid value: \"app*\": wildcard not allowed in label key match", StringComparison.Ordinal));
    }

    [Fact]
    public void Overlong_environment_variable_is_rejected()
    {
        Validate($"""
              environmentVariables:
                LONG: "{new string('x', 2049)}"
            """).Should().Contain(d => d.Message == "spec.environmentVariables[LONG] in body should be at most 2048 chars long");
    }

    [Fact]
    public void Zero_concurrency_is_valid()
    {
        Validate("  concurrency: 0").Should().BeEmpty();
    }
}
