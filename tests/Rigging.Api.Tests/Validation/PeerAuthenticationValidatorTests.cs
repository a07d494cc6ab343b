using FluentAssertions;
using Rigging.Api.Diagnostics;
using Rigging.Api.Validation;

namespace Rigging.Api.Tests.Validation;

public sealed class PeerAuthenticationValidatorTests
{
    private static IReadOnlyList<Diagnostic> Validate(string spec) => ConfigValidator.ValidateText("x.yaml", $"""
        apiVersion: security.istio.io/v1
        kind: PeerAuthentication
        metadata:
          name: mtls
        spec:
        {spec}
        """).Diagnostics;

    [Fact]
    public void Port_level_mtls_with_an_empty_selector_is_rejected()
    {
        Validate("""
              selector:
                matchLabels: {}
              portLevelMtls:
                "8080":
                  mode: DISABLE
            """).Should().Contain(d => d.Severity == Severity.Error && d.Message.Contains("portLevelMtls requires selector", StringComparison.Ordinal));
    }

    [Fact]
    public void Wildcard_in_selector_value_is_rejected_with_the_crd_wording()
    {
        Validate("""
              selector:
                matchLabels:
                  app: "web-*"
            """).Should().Contain(d => d.Message == "spec.selector.matchLabels[app]: Invalid value: \"web-*\": wildcard not allowed in label value match; labels are matched exactly");
    }

    [Fact]
    public void Workload_policy_with_port_level_mtls_is_valid_and_quiet()
    {
        Validate("""
              selector:
                matchLabels:
                  app: web
              mtls:
                mode: STRICT
              portLevelMtls:
                "8080":
                  mode: PERMISSIVE
            """).Should().BeEmpty();
    }
}
