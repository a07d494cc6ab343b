using FluentAssertions;
using Rigging.Api.Diagnostics;
using Rigging.Api.Validation;

namespace Rigging.Api.Tests.Validation;

public sealed class WorkloadEntryValidatorTests
{
    private static IReadOnlyList<Diagnostic> Validate(string spec) => ConfigValidator.ValidateText("x.yaml", $"""
        apiVersion: networking.istio.io/v1
        kind: WorkloadEntry
        metadata:
          name: vm
        spec:
        {spec}
        """).Diagnostics;

    [Fact]
    public void Address_that_is_neither_ip_nor_host_name_is_rejected()
    {
        Validate("  address: bad_host!").Should().Contain(d => d.Severity == Severity.Error
            && d.Message.StartsWith("spec.address: Invalid value: \"bad_host!\": endpoint address is not a valid FQDN or an IP address", StringComparison.Ordinal));
    }

    [Fact]
    public void Invalid_label_value_is_rejected()
    {
        Validate("""
              address: 10.0.0.1
              labels:
                app: "-web"
            """).Should().Contain(d => d.Severity == Severity.Error && d.Field == "spec.labels[app]");
    }

    [Fact]
    public void Ipv6_address_with_named_ports_is_valid()
    {
        Validate("""
              address: "2001:db8::1"
              ports:
                http-web: 8080
            """).Should().BeEmpty();
    }
}
