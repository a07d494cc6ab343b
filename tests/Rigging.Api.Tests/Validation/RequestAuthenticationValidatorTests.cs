using FluentAssertions;
using Rigging.Api.Diagnostics;
using Rigging.Api.Validation;

namespace Rigging.Api.Tests.Validation;

public sealed class RequestAuthenticationValidatorTests
{
    private static IReadOnlyList<Diagnostic> Validate(string spec) => ConfigValidator.ValidateText("x.yaml", $"""
        apiVersion: security.istio.io/v1
        kind: RequestAuthentication
        metadata:
          name: jwt
        spec:
        {spec}
        """).Diagnostics;

    private static IEnumerable<string> Errors(string spec) =>
        Validate(spec).Where(d => d.Severity == Severity.Error).Select(d => d.Message);

    [Fact]
    public void Jwks_and_jwks_uri_together_are_rejected()
    {
        Errors("""
              jwtRules:
              - issuer: example
                jwksUri: https://example.com/jwks.json
                jwks: '{"keys": []}'
            """).Should().Contain(m => m.StartsWith("spec.jwtRules[0]: Invalid value: \"object\": only one of jwks or jwksUri can be set", StringComparison.Ordinal));
    }

    [Fact]
    public void Jwks_uri_with_another_scheme_is_rejected()
    {
        Errors("""
              jwtRules:
              - issuer: example
                jwksUri: ftp://example.com/jwks.json
            """).Should().Contain(m => m.StartsWith("spec.jwtRules[0].jwksUri: Invalid value: \"ftp://example.com/jwks.json\": url must have scheme http:// or https://", StringComparison.Ordinal));
    }

    [Fact]
    public void Rule_without_issuer_or_jwks_uri_is_rejected()
    {
        Errors("""
              jwtRules:
              - audiences: [api]
            """).Should().Contain(m => m.StartsWith("spec.jwtRules[0].issuer: Required value: issuer or jwksUri must be set", StringComparison.Ordinal));
    }

    [Fact]
    public void Inline_jwks_that_is_not_json_is_rejected_and_a_private_key_warns()
    {
        Errors("""
              jwtRules:
              - issuer: example
                jwks: "not json"
            """).Should().Contain(m => m.StartsWith("spec.jwtRules[0].jwks: Invalid value: \"not json\": jwks parse error", StringComparison.Ordinal));

        Validate("""
              jwtRules:
              - issuer: example
                jwks: '{"keys": [{"kty": "RSA", "n": "x", "e": "AQAB", "d": "secret"}]}'
            """).Should().ContainSingle(d => d.Severity == Severity.Warning && d.Message.Contains("jwks key at index 0 contains private key material", StringComparison.Ordinal));
    }

    [Fact]
    public void Timeout_under_a_millisecond_is_rejected()
    {
        Errors("""
              jwtRules:
              - issuer: example
                timeout: 100us
            """).Should().Contain("spec.jwtRules[0].timeout: Invalid value: \"100us\": duration must be greater than 1ms");
    }
}
