using FluentAssertions;
using Rigging.Proxy.Security;

namespace Rigging.ControlPlane.Tests.Security.Jwt;

/// <summary>RequestAuthentication → jwt_authn (Istio's shape) → compiled by the proxy → valid, invalid and missing tokens.</summary>
public sealed class RequestAuthenticationTests : IDisposable
{
    private const string Issuer = "https://accounts.example";
    private const string Second = "https://second.example";
    private readonly SigningKey _key = new("k1");
    private readonly SigningKey _secondKey = new("k2");
    private readonly SigningKey _stranger = new("k1");
    private readonly SigningKey _secondStranger = new("k2");

    public void Dispose()
    {
        _key.Dispose();
        _secondKey.Dispose();
        _stranger.Dispose();
        _secondStranger.Dispose();
    }

    private string Policy(string ns = "foo", string? selector = "httpbin", string extra = "") => $"""
        apiVersion: security.istio.io/v1
        kind: RequestAuthentication
        metadata:
          name: jwt
          namespace: {ns}
        spec:
        {(selector is null ? "" : $"  selector:\n    matchLabels:\n      app: {selector}\n")}  jwtRules:
          - issuer: {Issuer}
            jwks: '{_key.Jwks()}'
        {extra}
        """;

    [Fact]
    public async Task Valid_token_passes_and_sets_the_request_principal()
    {
        var sim = JwtSimulation.Load(Policy());

        var (status, _, http) = await sim.SendAsync(_key.Sign(Issuer));

        status.Should().BeNull();
        http.Features.Get<RequestPrincipal>()!.Principal.Should().Be($"{Issuer}/alice");
        http.Request.Headers.Authorization.Count.Should().Be(0, "forwardOriginalToken defaults to false");
    }

    [Fact]
    public async Task Invalid_tokens_get_401_with_Envoys_reason_and_a_missing_one_passes()
    {
        var sim = JwtSimulation.Load(Policy());

        var expired = await sim.SendAsync(_key.Sign(Issuer, expIn: -3600));
        expired.Status.Should().Be(401);
        expired.Body.Should().Be("Jwt is expired");
        var forged = await sim.SendAsync(_stranger.Sign(Issuer));
        forged.Status.Should().Be(401);
        forged.Body.Should().Be("Jwt verification fails");
        var unknown = await sim.SendAsync(_key.Sign("https://evil.example"));
        unknown.Body.Should().Be("Jwt issuer is not configured");
        var missing = await sim.SendAsync();
        missing.Status.Should().BeNull();
        missing.Http.Features.Get<RequestPrincipal>().Should().BeNull();
    }

    [Fact]
    public void Translation_has_Istios_shape_and_runs_first()
    {
        var sim = JwtSimulation.Load(Policy());

        sim.Filters[0].Name.Should().Be("envoy.filters.http.jwt_authn");
        var config = sim.Config;
        config.BypassCorsPreflight.Should().BeTrue();
        config.Providers.Keys.Should().Equal("origins-0");
        config.Providers["origins-0"].Issuer.Should().Be(Issuer);
        config.Providers["origins-0"].FromHeaders.Should().BeEmpty("Envoy's defaults apply: Authorization Bearer and access_token");
        config.Rules.Should().ContainSingle().Which.Match.Prefix.Should().Be("/");
        var any = config.Rules[0].Requires.RequiresAny.Requirements;
        any.Select(r => r.ProviderName).Should().Equal("origins-0", "");
        any[1].AllowMissing.Should().NotBeNull();
    }

    [Fact]
    public void Policies_apply_by_namespace_selector_and_root_namespace()
    {
        JwtSimulation.Load(Policy(ns: "bar")).Compiled.Should().BeNull("another namespace's policy does not apply");
        JwtSimulation.Load(Policy(selector: "reviews")).Compiled.Should().BeNull("the selector picks another workload");
        JwtSimulation.Load(Policy(selector: null)).Compiled.Should().NotBeNull("no selector: the whole namespace");
        JwtSimulation.Load(Policy(ns: "istio-system", selector: null)).Compiled.Should().NotBeNull("the root namespace applies mesh-wide");
    }

    [Fact]
    public async Task Two_issuers_each_pass_and_a_forged_token_of_either_is_refused()
    {
        var sim = JwtSimulation.Load(Policy(extra: $"""
              - issuer: {Second}
                jwks: '{_secondKey.Jwks()}'
            """));

        (await sim.SendAsync(_key.Sign(Issuer))).Status.Should().BeNull();
        (await sim.SendAsync(_secondKey.Sign(Second))).Status.Should().BeNull();
        var forged = await sim.SendAsync(_secondStranger.Sign(Second));
        forged.Status.Should().Be(401);
        forged.Body.Should().Be("Jwt verification fails");
        (await sim.SendAsync()).Status.Should().BeNull();
        sim.Config.Rules[0].Requires.RequiresAny.Requirements.Should().HaveCount(3, "P0 OR P1 OR AND({P0 OR allow_missing}, {P1 OR allow_missing})");
    }

    [Fact]
    public async Task Locations_forwarding_and_outputs_are_honoured()
    {
        var yaml = $"""
            apiVersion: security.istio.io/v1
            kind: RequestAuthentication
            metadata:
              name: jwt
              namespace: foo
            spec:
              jwtRules:
              - issuer: {Issuer}
                audiences: [api.example]
                jwks: '{_key.Jwks()}'
                fromHeaders:
                - name: x-jwt
                  prefix: "Token "
                fromParams: [token]
                forwardOriginalToken: true
                outputPayloadToHeader: x-jwt-payload
                outputClaimToHeaders:
                - header: x-team
                  claim: team
            """;
        var sim = JwtSimulation.Load(yaml);
        var token = _key.Sign(Issuer, audience: "api.example");

        var header = await sim.SendAsync(headers: new Dictionary<string, string> { ["x-jwt"] = "Token " + token });
        header.Status.Should().BeNull();
        header.Http.Request.Headers["x-jwt"].ToString().Should().Be("Token " + token, "forwardOriginalToken keeps it");
        header.Http.Request.Headers["x-team"].ToString().Should().Be("blue");
        header.Http.Request.Headers["x-jwt-payload"].ToString().Should().Be(token.Split('.')[1]);
        (await sim.SendAsync(path: "/?token=" + token)).Status.Should().BeNull();
        (await sim.SendAsync(token)).Status.Should().BeNull("a bearer token is not looked for when fromHeaders is set");
        (await sim.SendAsync(headers: new Dictionary<string, string> { ["x-jwt"] = "Token " + _key.Sign(Issuer, audience: "other") })).Status.Should().Be(403);
    }

    [Fact]
    public void JwksUri_becomes_remote_jwks_that_the_proxy_fetches()
    {
        var yaml = """
            apiVersion: security.istio.io/v1
            kind: RequestAuthentication
            metadata:
              name: jwt
              namespace: foo
            spec:
              jwtRules:
              - issuer: https://accounts.example
                jwksUri: https://keys.example:8443/jwks.json
                timeout: 2s
            """;
        var sim = JwtSimulation.Load(yaml);

        var remote = sim.Config.Providers["origins-0"].RemoteJwks;
        remote.HttpUri.Uri.Should().Be("https://keys.example:8443/jwks.json");
        remote.HttpUri.Timeout.ToTimeSpan().Should().Be(TimeSpan.FromSeconds(2));
        remote.CacheDuration.ToTimeSpan().Should().Be(TimeSpan.FromMinutes(5));
        sim.Compiled.Should().NotBeNull("the proxy's compiler accepts it");
    }

    [Fact]
    public async Task Rule_without_keys_is_reported_and_its_tokens_refused()
    {
        var yaml = """
            apiVersion: security.istio.io/v1
            kind: RequestAuthentication
            metadata:
              name: jwt
              namespace: foo
            spec:
              jwtRules:
              - issuer: https://accounts.example
            """;
        var sim = JwtSimulation.Load(yaml);

        sim.Push.Issues.Values.Should().ContainSingle().Which.Should().Contain("neither jwks nor jwksUri");
        (await sim.SendAsync(_key.Sign(Issuer))).Status.Should().Be(401);
        (await sim.SendAsync()).Status.Should().BeNull();
    }
}
