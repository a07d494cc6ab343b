using FluentAssertions;
using Rigging.Api.Diagnostics;
using Rigging.Api.Validation;

namespace Rigging.Api.Tests.Validation;

public sealed class WorkloadGroupValidatorTests
{
    private static IEnumerable<string> Errors(string spec) => ConfigValidator.ValidateText("x.yaml", $"""
        apiVersion: networking.istio.io/v1
        kind: WorkloadGroup
        metadata:
          name: vms
        spec:
        {spec}
        """).Diagnostics.Where(d => d.Severity == Severity.Error).Select(d => d.Message);

    [Fact]
    public void Missing_template_is_required()
    {
        Errors("  metadata: {labels: {app: web}}").Should().ContainSingle(m => m.StartsWith("spec.template: Required value", StringComparison.Ordinal));
    }

    [Fact]
    public void Probe_needs_exactly_one_check()
    {
        Errors("""
              template: {}
              probe:
                periodSeconds: 5
            """).Should().Contain("spec.probe: Required value: a probe needs one check: httpGet, tcpSocket, exec or grpc");

        Errors("""
              template: {}
              probe:
                tcpSocket: {port: 80}
                exec: {command: [true]}
            """).Should().Contain(m => m.StartsWith("spec.probe: Invalid value: \"object\": only one of httpGet, tcpSocket, exec or grpc", StringComparison.Ordinal));
    }

    [Fact]
    public void Http_probe_scheme_and_negative_threshold_are_rejected()
    {
        var errors = Errors("""
              template: {}
              probe:
                failureThreshold: -1
                httpGet:
                  port: 8080
                  scheme: FTP
            """).ToList();

        errors.Should().Contain("spec.probe.failureThreshold in body should be greater than or equal to 0");
        errors.Should().Contain("spec.probe.httpGet.scheme: Unsupported value: \"FTP\": supported values: \"HTTP\", \"HTTPS\"");
    }

    [Fact]
    public void Template_address_may_be_left_out()
    {
        Errors("""
              template:
                serviceAccount: vm-sa
                ports: {http: 8080}
            """).Should().BeEmpty();
    }
}
