using FluentAssertions;
using Rigging.Api.Diagnostics;
using Rigging.Api.Validation;

namespace Rigging.Api.Tests.Validation;

public sealed class WasmPluginValidatorTests
{
    private static IEnumerable<string> Errors(string spec) => ConfigValidator.ValidateText("x.yaml", $"""
        apiVersion: extensions.istio.io/v1alpha1
        kind: WasmPlugin
        metadata:
          name: plugin
        spec:
        {spec}
        """).Diagnostics.Where(d => d.Severity == Severity.Error).Select(d => d.Message);

    [Fact]
    public void Missing_url_is_required()
    {
        Errors("  phase: AUTHN").Should().ContainSingle(m => m.StartsWith("spec.url: Required value", StringComparison.Ordinal));
    }

    [Fact]
    public void Oci_url_and_url_without_scheme_are_accepted()
    {
        Errors("  url: oci://ghcr.io/acme/filter:1.0").Should().BeEmpty();
        Errors("  url: ghcr.io/acme/filter:1.0").Should().BeEmpty();
    }

    [Fact]
    public void Match_port_out_of_range_and_repeated_port_are_rejected()
    {
        var errors = Errors("""
              url: oci://ghcr.io/acme/filter:1.0
              match:
              - ports:
                - number: 70000
                - number: 80
                - number: 80
            """).ToList();

        errors.Should().Contain("spec.match[0].ports[0].number: Invalid value: 70000: port must be between 1-65535");
        errors.Should().Contain("spec.match[0].ports[2].number: Duplicate value: 80");
    }

    [Fact]
    public void Selector_and_target_refs_together_are_rejected()
    {
        Errors("""
              url: oci://ghcr.io/acme/filter:1.0
              selector:
                matchLabels: {app: web}
              targetRefs:
              - kind: Gateway
                group: gateway.networking.k8s.io
                name: edge
            """).Should().ContainSingle(m => m.StartsWith("spec: Invalid value: \"object\": only one of targetRefs or selector can be set", StringComparison.Ordinal));
    }
}
