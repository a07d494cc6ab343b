using FluentAssertions;
using Rigging.Api.Diagnostics;
using Rigging.Api.Validation;

namespace Rigging.Api.Tests.Validation;

public sealed class EnvoyFilterValidatorTests
{
    private static IReadOnlyList<Diagnostic> Validate(string spec) => ConfigValidator.ValidateText("x.yaml", $"""
        apiVersion: networking.istio.io/v1alpha3
        kind: EnvoyFilter
        metadata:
          name: filter
        spec:
        {spec}
        """).Diagnostics;

    private static IEnumerable<string> Errors(string spec) =>
        Validate(spec).Where(d => d.Severity == Severity.Error).Select(d => d.Message);

    [Fact]
    public void Http_filter_patch_with_a_cluster_match_is_rejected()
    {
        Errors("""
              configPatches:
              - applyTo: HTTP_FILTER
                match:
                  cluster:
                    service: reviews
                patch:
                  operation: REMOVE
            """).Should().Contain("spec.configPatches[0].match: applyTo HTTP_FILTER patches a listener-class object, so the match must be a listener match");
    }

    [Fact]
    public void Add_without_value_and_sub_filter_outside_the_connection_manager_are_rejected()
    {
        Errors("""
              configPatches:
              - applyTo: CLUSTER
                patch:
                  operation: ADD
            """).Should().Contain(m => m.StartsWith("spec.configPatches[0].patch.value: Required value", StringComparison.Ordinal));

        Errors("""
              configPatches:
              - applyTo: HTTP_FILTER
                match:
                  listener:
                    filterChain:
                      filter:
                        name: envoy.filters.network.tcp_proxy
                        subFilter:
                          name: envoy.filters.http.router
                patch:
                  operation: REMOVE
            """).Should().Contain(m => m.StartsWith("spec.configPatches[0].match.listener.filterChain.filter.name: Invalid value: \"envoy.filters.network.tcp_proxy\": a subFilter match requires", StringComparison.Ordinal));
    }

    [Fact]
    public void Invalid_proxy_version_regex_and_v2_types_are_rejected()
    {
        Errors("""
              configPatches:
              - applyTo: NETWORK_FILTER
                match:
                  proxy:
                    proxyVersion: "^1\\.2[0-9"
                patch:
                  operation: MERGE
                  value: {}
            """).Should().Contain(m => m.StartsWith("spec.configPatches[0].match.proxy.proxyVersion: Invalid value", StringComparison.Ordinal));

        Errors("""
              configPatches:
              - applyTo: NETWORK_FILTER
                patch:
                  operation: MERGE
                  value:
                    typed_config:
                      "@type": type.googleapis.com/envoy.config.filter.network.tcp_proxy.v2.TcpProxy
            """).Should().Contain(m => m.Contains("referenced type unknown (hint: try using the v3 XDS API)", StringComparison.Ordinal));
    }

    [Fact]
    public void Removed_workload_labels_field_is_reported_with_its_replacement()
    {
        Errors("""
              workloadLabels:
                app: web
            """).Should().Contain("spec.workloadLabels: workloadLabels was removed from EnvoyFilter; use workloadSelector.labels");
    }

    [Fact]
    public void Deprecated_filter_name_warns_with_the_current_name()
    {
        var diagnostics = Validate("""
              configPatches:
              - applyTo: HTTP_FILTER
                match:
                  listener:
                    filterChain:
                      filter:
                        name: envoy.http_connection_manager
                patch:
                  operation: REMOVE
            """);

        diagnostics.Should().NotContain(d => d.Severity == Severity.Error);
        diagnostics.Should().Contain(d => d.Severity == Severity.Warning
            && d.Message.Contains("use \"envoy.filters.network.http_connection_manager\" instead", StringComparison.Ordinal));
    }
}
