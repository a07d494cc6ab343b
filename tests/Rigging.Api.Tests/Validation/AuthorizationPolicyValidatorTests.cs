using FluentAssertions;
using Rigging.Api.Diagnostics;
using Rigging.Api.Validation;

namespace Rigging.Api.Tests.Validation;

public sealed class AuthorizationPolicyValidatorTests
{
    private static IReadOnlyList<Diagnostic> Validate(string spec) => ConfigValidator.ValidateText("x.yaml", $"""
        apiVersion: security.istio.io/v1
        kind: AuthorizationPolicy
        metadata:
          name: policy
        spec:
        {spec}
        """).Diagnostics;

    private static IEnumerable<string> Errors(string spec) =>
        Validate(spec).Where(d => d.Severity == Severity.Error).Select(d => d.Message);

    [Fact]
    public void Deny_without_rules_is_rejected_because_it_never_matches()
    {
        Errors("  action: DENY").Should().ContainSingle(m =>
            m.StartsWith("spec.rules: Required value: a DENY policy without rules never matches", StringComparison.Ordinal));
    }

    [Fact]
    public void Custom_action_needs_a_provider_and_cannot_match_identities()
    {
        var errors = Errors("""
              action: CUSTOM
              rules:
              - from:
                - source:
                    principals: ["cluster.local/ns/a/sa/b"]
            """).ToList();

        errors.Should().Contain("spec.provider.name: Required value: a CUSTOM policy names the extension provider (from mesh config) that makes the decision");
        errors.Should().Contain(m => m.StartsWith("spec.rules[0].from[0].source.principals: is not supported with action CUSTOM", StringComparison.Ordinal));
    }

    [Fact]
    public void Bad_ip_block_port_and_unknown_condition_key_are_each_named()
    {
        var errors = Errors("""
              rules:
              - from:
                - source:
                    ipBlocks: ["10.0.0.0/33", "1.2.3"]
                to:
                - operation:
                    ports: ["http"]
                when:
                - key: request.color
                  values: ["red"]
            """).ToList();

        errors.Should().Contain("spec.rules[0].from[0].source.ipBlocks[0]: Invalid value: \"10.0.0.0/33\": " + IpRules.IpOrCidrHint);
        errors.Should().Contain("spec.rules[0].from[0].source.ipBlocks[1]: Invalid value: \"1.2.3\": " + IpRules.IpOrCidrHint);
        errors.Should().Contain(m => m.StartsWith("spec.rules[0].to[0].operation.ports[0]: Invalid value: \"http\": must be a port number", StringComparison.Ordinal));
        errors.Should().Contain(m => m.StartsWith("spec.rules[0].when[0].key: Invalid value: \"request.color\": unknown attribute", StringComparison.Ordinal));
    }

    [Fact]
    public void Path_template_with_match_any_before_the_end_is_rejected()
    {
        Errors("""
              rules:
              - to:
                - operation:
                    paths: ["/{**}/a/{*}"]
            """).Should().Contain(m => m.Contains("{**} must be the last operator", StringComparison.Ordinal));
    }

    [Fact]
    public void Deny_rule_with_only_http_attributes_warns_that_tcp_traffic_is_denied()
    {
        var diagnostics = Validate("""
              action: DENY
              rules:
              - to:
                - operation:
                    methods: ["POST"]
            """);

        diagnostics.Should().NotContain(d => d.Severity == Severity.Error);
        diagnostics.Should().ContainSingle(d => d.Severity == Severity.Warning && d.Message.Contains("denies all traffic to TCP ports", StringComparison.Ordinal));
    }

    [Fact]
    public void Target_ref_to_an_unsupported_kind_is_rejected()
    {
        Errors("""
              targetRef:
                kind: Deployment
                group: apps
                name: web
            """).Should().Contain(m => m.StartsWith("spec.targetRef.kind: Invalid value: \"apps/Deployment\": a policy can target a Service", StringComparison.Ordinal));
    }
}
