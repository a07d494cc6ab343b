using Envoy.Extensions.Filters.Http.JwtAuthn.V3;
using FluentAssertions;
using Microsoft.AspNetCore.Http;
using Rigging.Proxy.Config;
using Rigging.Proxy.Http.Filters;
using Rigging.Proxy.Http.Filters.Jwt;
using Rigging.Proxy.Routing;
using Rigging.Proxy.Security;
using Rigging.Proxy.Tests.Infrastructure;

namespace Rigging.Proxy.Tests.Security.Jwt;

/// <summary>The JWT filter in process: the injected clock, the request principal it sets, config errors it NACKs.</summary>
public sealed class JwtFilterUnitTests : IDisposable
{
    private const string Issuer = "https://issuer.example";
    private static readonly DateTimeOffset Start = new(2030, 1, 2, 3, 4, 5, TimeSpan.Zero);
    private readonly TestKey _key = TestKey.Rsa("k");
    private readonly FixedClock _clock = new(Start);

    public void Dispose() => _key.Dispose();

    private JwtAuthnFilter Filter(Action<JwtProvider>? edit = null)
    {
        var provider = EnvoyConfig.LocalJwtProvider(Issuer, TestKey.Jwks(_key), "api");
        edit?.Invoke(provider);
        return JwtAuthnCompiler.Compile(EnvoyConfig.IstioJwt(("p", provider)), "test");
    }

    private async Task<(int? Status, HttpContext Http)> Run(JwtAuthnFilter filter, string? token, Action<HttpRequest>? edit = null)
    {
        var http = new DefaultHttpContext();
        http.Request.Method = "GET";
        http.Request.Path = "/x";
        http.Request.Host = new HostString("svc.example");
        http.Response.Body = new MemoryStream();
        if (token is not null) http.Request.Headers.Authorization = "Bearer " + token;
        edit?.Invoke(http.Request);
        var route = new RouteModel("r", new RouteMatcher(PathMatch.ForPrefix("/", false), [], []), new DirectResponseModel(200, null));
        var outcome = await filter.OnRequestAsync(new HttpFilterContext(http, route, null, new Random(1), _clock));
        return (outcome?.Status, http);
    }

    private Dictionary<string, object> Claims(long exp, long? nbf = null)
    {
        var claims = new Dictionary<string, object> { ["iss"] = Issuer, ["sub"] = "carol", ["aud"] = new[] { "api", "web" }, ["azp"] = "cli", ["exp"] = exp, ["role"] = "ops" };
        if (nbf is { } n) claims["nbf"] = n;
        return claims;
    }

    [Fact]
    public async Task Verified_token_sets_the_request_principal_authorization_reads()
    {
        var (status, http) = await Run(Filter(), _key.Sign(Claims(Start.ToUnixTimeSeconds() + 600)));

        status.Should().BeNull("the request continues");
        var principal = http.Features.Get<RequestPrincipal>();
        principal.Should().NotBeNull();
        principal!.Principal.Should().Be($"{Issuer}/carol");
        principal.Audiences.Should().Equal("api", "web");
        principal.Presenter.Should().Be("cli");
        principal.Claims.GetProperty("role").GetString().Should().Be("ops");
    }

    [Fact]
    public async Task Refused_or_missing_token_sets_no_principal()
    {
        var filter = Filter();
        var (refused, bad) = await Run(filter, _key.Sign(Claims(Start.ToUnixTimeSeconds() - 600)));
        var (missing, none) = await Run(filter, null);

        refused.Should().Be(401);
        bad.Features.Get<RequestPrincipal>().Should().BeNull();
        missing.Should().BeNull();
        none.Features.Get<RequestPrincipal>().Should().BeNull();
        none.Response.Headers.WWWAuthenticate.Count.Should().Be(0);
    }

    [Theory]
    [InlineData(-59, null, null)]
    [InlineData(-61, null, 401)]
    [InlineData(600, 59, null)]
    [InlineData(600, 61, 401)]
    public async Task Exp_and_nbf_are_checked_against_the_injected_clock_with_60s_skew(int expIn, int? nbfIn, int? expected)
    {
        var now = Start.ToUnixTimeSeconds();
        var (status, _) = await Run(Filter(), _key.Sign(Claims(now + expIn, nbfIn is { } n ? now + n : null)));

        status.Should().Be(expected);
    }

    [Fact]
    public async Task Clock_skew_seconds_from_config_replaces_the_default()
    {
        var (status, _) = await Run(Filter(p => p.ClockSkewSeconds = 5), _key.Sign(Claims(Start.ToUnixTimeSeconds() - 30)));

        status.Should().Be(401);
    }

    [Fact]
    public async Task Cors_preflight_bypasses_the_filter_only_when_configured()
    {
        var config = EnvoyConfig.IstioJwt(("p", EnvoyConfig.LocalJwtProvider(Issuer, TestKey.Jwks(_key))));
        var strict = JwtAuthnCompiler.Compile(config, "test");
        config.BypassCorsPreflight = true;
        var bypassing = JwtAuthnCompiler.Compile(config, "test");

        (await Run(bypassing, "garbage", Preflight)).Status.Should().BeNull();
        (await Run(strict, "garbage", Preflight)).Status.Should().Be(401);
        (await Run(bypassing, "garbage")).Status.Should().Be(401, "only a preflight (OPTIONS with Origin and Access-Control-Request-Method) bypasses");
    }

    private static void Preflight(HttpRequest request)
    {
        request.Method = "OPTIONS";
        request.Headers.Origin = "https://app.example";
        request.Headers.AccessControlRequestMethod = "POST";
    }

    [Fact]
    public void Provider_without_keys_is_refused_with_its_name()
    {
        var config = EnvoyConfig.IstioJwt(("nokeys", new JwtProvider { Issuer = Issuer }));

        var act = () => JwtAuthnCompiler.Compile(config, "Listener l");

        act.Should().Throw<ConfigException>().WithMessage("Listener l: providers[nokeys]: needs local_jwks or remote_jwks");
    }

    [Fact]
    public void Requirement_naming_an_unknown_provider_is_refused()
    {
        var config = new JwtAuthentication();
        config.Rules.Add(new RequirementRule { Match = new Envoy.Config.Route.V3.RouteMatch { Prefix = "/" }, Requires = new JwtRequirement { ProviderName = "ghost" } });

        var act = () => JwtAuthnCompiler.Compile(config, "Listener l");

        act.Should().Throw<ConfigException>().WithMessage("Listener l: rules[0].requires: Required provider ['ghost'] is not configured.");
    }

    [Fact]
    public void Remote_jwks_uri_must_be_http_or_https()
    {
        var config = EnvoyConfig.IstioJwt(("p", EnvoyConfig.RemoteJwtProvider(Issuer, "file:///etc/passwd", TimeSpan.FromSeconds(1))));

        var act = () => JwtAuthnCompiler.Compile(config, "Listener l");

        act.Should().Throw<ConfigException>().WithMessage("*providers[p].remote_jwks.http_uri.uri \"file:///etc/passwd\" must be an absolute http or https URL");
    }

    [Fact]
    public void Parser_refuses_more_than_16_KiB_without_decoding()
    {
        JwtParser.TryParse(new string('a', JwtParser.MaxTokenLength + 1), out var jwt).Should().Be(JwtStatus.JwtTooLarge);
        jwt.Should().BeNull();
    }

    /// <summary>A clock that stands still at a chosen instant (timers are the system's).</summary>
    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
