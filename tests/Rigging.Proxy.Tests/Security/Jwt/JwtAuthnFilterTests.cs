using System.Net;
using System.Text;
using Envoy.Extensions.Filters.Http.JwtAuthn.V3;
using FluentAssertions;
using Rigging.Proxy.Tests.Infrastructure;

namespace Rigging.Proxy.Tests.Security.Jwt;

/// <summary>envoy.filters.http.jwt_authn through a real proxy with inline JWKS: Istio's provider/allow_missing shape.</summary>
public sealed class JwtAuthnFilterTests : IAsyncLifetime
{
    private const string RsaIssuer = "https://rsa.example";
    private const string EcIssuer = "https://ec.example";
    private const string ParamIssuer = "https://param.example";
    private const string CookieIssuer = "https://cookie.example";
    private static readonly HttpClient Client = new(new SocketsHttpHandler { UseProxy = false, UseCookies = false });
    private readonly TestKey _rsa = TestKey.Rsa("rsa-1");
    private readonly TestKey _ec = TestKey.Ec("ec-1");
    private readonly TestKey _other = TestKey.Rsa("rsa-1");
    private TestBackend _backend = null!;
    private ProxyFixture _mesh = null!;
    private int _port;

    public async Task InitializeAsync()
    {
        _backend = await TestBackend.StartAsync("app");
        _mesh = await ProxyFixture.StartAsync();
        _port = FreePort.Get();

        var rsa = EnvoyConfig.LocalJwtProvider(RsaIssuer, TestKey.Jwks(_rsa), "api.example", "https://other.example/");
        rsa.ForwardPayloadHeader = "x-jwt-payload";
        rsa.ClaimToHeaders.Add(new JwtClaimToHeader { HeaderName = "x-jwt-sub", ClaimName = "sub" });
        rsa.ClaimToHeaders.Add(new JwtClaimToHeader { HeaderName = "x-jwt-groups", ClaimName = "groups" });
        rsa.ClaimToHeaders.Add(new JwtClaimToHeader { HeaderName = "x-jwt-org", ClaimName = "org.name" });
        var ec = EnvoyConfig.LocalJwtProvider(EcIssuer, TestKey.Jwks(_ec));
        ec.Forward = false;
        var param = EnvoyConfig.LocalJwtProvider(ParamIssuer, TestKey.Jwks(_rsa));
        param.FromParams.Add("my_token");
        param.Forward = false;
        var cookie = EnvoyConfig.LocalJwtProvider(CookieIssuer, TestKey.Jwks(_rsa));
        cookie.FromCookies.Add("session");
        var jwt = EnvoyConfig.IstioJwt(("rsa", rsa), ("ec", ec), ("param", param), ("cookie", cookie));

        await _mesh.ApplyAsync(
            EnvoyConfig.EdsCluster("app"), EnvoyConfig.Endpoints("app", _backend.Port),
            EnvoyConfig.FilteredListener(_port, EnvoyConfig.JwtFilter(jwt)),
            EnvoyConfig.Routes("r", EnvoyConfig.Prefix("/", "app")));
    }

    public async Task DisposeAsync()
    {
        await _mesh.DisposeAsync();
        await _backend.DisposeAsync();
        _rsa.Dispose();
        _ec.Dispose();
        _other.Dispose();
    }

    private static long Now(int offsetSeconds = 0) => TimeProvider.System.GetUtcNow().ToUnixTimeSeconds() + offsetSeconds;

    private static Dictionary<string, object> Claims(string iss, object? aud = null, int expIn = 3600) => new()
    {
        ["iss"] = iss,
        ["sub"] = "alice",
        ["aud"] = aud ?? "api.example",
        ["exp"] = Now(expIn),
        ["iat"] = Now(),
        ["groups"] = new[] { "admin", "dev" },
        ["org"] = new Dictionary<string, string> { ["name"] = "acme" },
    };

    private async Task<HttpResponseMessage> Send(string? token, string path = "/x", Action<HttpRequestMessage>? edit = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, $"http://127.0.0.1:{_port}{path}");
        if (token is not null) request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + token);
        edit?.Invoke(request);
        return await Client.SendAsync(request);
    }

    private static string Echo(HttpResponseMessage response, string header) =>
        response.Headers.TryGetValues("x-echo-" + header, out var values) ? string.Join(",", values) : "";

    private static async Task ShouldRefuse(HttpResponseMessage response, HttpStatusCode status, string body)
    {
        response.StatusCode.Should().Be(status);
        (await response.Content.ReadAsStringAsync()).Should().Be(body);
        response.Headers.WwwAuthenticate.ToString().Should().StartWith("Bearer realm=\"http://127.0.0.1:").And.EndWith(", error=\"invalid_token\"");
    }

    [Fact]
    public async Task Valid_rs256_token_passes_and_the_backend_sees_payload_and_claim_headers()
    {
        var token = _rsa.Sign(Claims(RsaIssuer));
        using var response = await Send(token);

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        (await response.Content.ReadAsStringAsync()).Should().Be("app /x");
        var payload = Encoding.UTF8.GetString(Convert.FromBase64String(PadBase64(Echo(response, "x-jwt-payload"))));
        payload.Should().Contain("\"sub\":\"alice\"").And.Contain(RsaIssuer);
        Echo(response, "x-jwt-sub").Should().Be("alice");
        Echo(response, "x-jwt-groups").Should().Be("admin,dev");
        Echo(response, "x-jwt-org").Should().Be("acme");
        Echo(response, "Authorization").Should().Be("Bearer " + token, "forward: true keeps the token for the backend");
    }

    [Fact]
    public async Task Valid_es256_token_passes_and_forward_false_strips_the_authorization_header()
    {
        using var response = await Send(_ec.Sign(Claims(EcIssuer)));

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        Echo(response, "Authorization").Should().BeEmpty();
    }

    [Fact]
    public async Task Audience_matches_without_scheme_or_trailing_slash_as_in_Envoy()
    {
        using var response = await Send(_rsa.Sign(Claims(RsaIssuer, aud: new[] { "x", "http://other.example" })));

        response.StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Missing_token_passes_without_a_principal_header()
    {
        using var response = await Send(null);

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        Echo(response, "x-jwt-sub").Should().BeEmpty();
    }

    [Fact]
    public async Task Forged_output_headers_are_removed_before_the_backend_sees_them()
    {
        using var response = await Send(null, edit: r =>
        {
            r.Headers.Add("x-jwt-sub", "root");
            r.Headers.Add("x-jwt-payload", TestKey.B64("{\"sub\":\"root\"}"));
        });

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        Echo(response, "x-jwt-sub").Should().BeEmpty();
        Echo(response, "x-jwt-payload").Should().BeEmpty();
    }

    [Fact]
    public async Task Expired_token_is_refused_with_401_jwt_is_expired()
    {
        using var response = await Send(_rsa.Sign(Claims(RsaIssuer, expIn: -120)));

        await ShouldRefuse(response, HttpStatusCode.Unauthorized, "Jwt is expired");
        _backend.Requests.Should().Be(0);
    }

    [Fact]
    public async Task Token_expired_within_the_60s_clock_skew_still_passes()
    {
        using var response = await Send(_rsa.Sign(Claims(RsaIssuer, expIn: -20)));

        response.StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Unknown_issuer_is_refused_with_401()
    {
        using var response = await Send(_rsa.Sign(Claims("https://evil.example")));

        await ShouldRefuse(response, HttpStatusCode.Unauthorized, "Jwt issuer is not configured");
    }

    [Fact]
    public async Task Wrong_audience_is_refused_with_403_as_Envoy_does()
    {
        using var response = await Send(_rsa.Sign(Claims(RsaIssuer, aud: "someone-else")));

        await ShouldRefuse(response, HttpStatusCode.Forbidden, "Audiences in Jwt are not allowed");
    }

    [Fact]
    public async Task Token_signed_by_another_key_with_the_same_kid_fails_verification()
    {
        using var response = await Send(_other.Sign(Claims(RsaIssuer)));

        await ShouldRefuse(response, HttpStatusCode.Unauthorized, "Jwt verification fails");
    }

    [Fact]
    public async Task Token_with_a_kid_the_jwks_lacks_is_refused_with_kid_mismatch()
    {
        using var response = await Send(_rsa.Sign(Claims(RsaIssuer), kid: "nobody"));

        await ShouldRefuse(response, HttpStatusCode.Unauthorized, "Jwks doesn't have key to match kid or alg from Jwt");
    }

    [Fact]
    public async Task Alg_none_token_is_refused()
    {
        var header = TestKey.B64("{\"alg\":\"none\",\"typ\":\"JWT\"}");
        var payload = TestKey.B64($"{{\"iss\":\"{RsaIssuer}\",\"sub\":\"root\",\"aud\":\"api.example\",\"exp\":{Now(3600)}}}");
        using var response = await Send($"{header}.{payload}.");

        await ShouldRefuse(response, HttpStatusCode.Unauthorized, "Jwt header [alg] is not supported");
    }

    [Fact]
    public async Task Hs256_token_is_refused_so_a_public_key_cannot_be_used_as_an_hmac_secret()
    {
        using var response = await Send(_rsa.Sign(Claims(RsaIssuer), alg: "HS256"));

        await ShouldRefuse(response, HttpStatusCode.Unauthorized, "Jwt header [alg] is not supported");
    }

    [Theory]
    [InlineData("garbage", "Jwt is not in the form of Header.Payload.Signature with two dots and 3 sections")]
    [InlineData("a.b.c.d", "Jwt is not in the form of Header.Payload.Signature with two dots and 3 sections")]
    [InlineData("a.e30.sig", "Jwt header is an invalid Base64url encoded")]
    [InlineData("e30K.e30.sig", "Jwt header [alg] field is required and must be a string")]
    [InlineData("bm90IGpzb24.e30.sig", "Jwt header is an invalid JSON")]
    [InlineData("eyJhbGciOiJSUzI1NiJ9.bm90IGpzb24.sig", "Jwt payload is an invalid JSON")]
    [InlineData("eyJhbGciOiJSUzI1NiJ9.e30.a", "Jwt signature is an invalid Base64url encoded")]
    [InlineData("eyJhbGciOiJSUzI1NiJ9.a.sig", "Jwt payload is an invalid Base64url encoded")]
    [InlineData("eyJhbGciOiJSUzI1NiJ9.eyJleHAiOiJzb29uIn0.sig", "Jwt payload [exp] field is not an integer")]
    public async Task Malformed_token_is_refused_with_401_and_the_reason(string token, string body)
    {
        using var response = await Send(token);

        await ShouldRefuse(response, HttpStatusCode.Unauthorized, body);
    }

    [Fact]
    public async Task Huge_token_is_refused_with_401_before_any_parsing()
    {
        var token = _rsa.Sign(new Dictionary<string, object> { ["iss"] = RsaIssuer, ["pad"] = new string('a', 14_000) });
        using var response = await Send(token);

        await ShouldRefuse(response, HttpStatusCode.Unauthorized, "Jwt is too large");
    }

    [Fact]
    public async Task A_good_token_beside_a_bad_one_is_refused()
    {
        var good = _rsa.Sign(Claims(RsaIssuer));
        using var response = await Send(good, "/x?access_token=" + _other.Sign(Claims(RsaIssuer)));

        await ShouldRefuse(response, HttpStatusCode.Unauthorized, "Jwt verification fails");
    }

    [Fact]
    public async Task Token_from_a_query_parameter_passes_and_is_removed_when_not_forwarded()
    {
        using var response = await Send(null, $"/x?a=1&my_token={_rsa.Sign(Claims(ParamIssuer))}&b=2");

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        (await response.Content.ReadAsStringAsync()).Should().Be("app /x?a=1&b=2");
    }

    [Fact]
    public async Task Invalid_token_in_a_query_parameter_is_refused()
    {
        using var response = await Send(null, $"/x?my_token={_rsa.Sign(Claims(ParamIssuer, expIn: -3600))}");

        await ShouldRefuse(response, HttpStatusCode.Unauthorized, "Jwt is expired");
    }

    [Fact]
    public async Task Token_from_a_cookie_passes_and_a_bad_one_is_refused()
    {
        using var good = await Send(null, edit: r => r.Headers.Add("Cookie", "theme=dark; session=" + _rsa.Sign(Claims(CookieIssuer))));
        using var bad = await Send(null, edit: r => r.Headers.Add("Cookie", "session=" + _other.Sign(Claims(CookieIssuer))));

        good.StatusCode.Should().Be(HttpStatusCode.OK);
        await ShouldRefuse(bad, HttpStatusCode.Unauthorized, "Jwt verification fails");
    }

    [Fact]
    public async Task Realm_names_the_request_url()
    {
        using var response = await Send("garbage", "/path/y?q=1");

        response.Headers.WwwAuthenticate.ToString().Should().Be($"Bearer realm=\"http://127.0.0.1:{_port}/path/y?q=1\", error=\"invalid_token\"");
    }

    private static string PadBase64(string base64Url)
    {
        var s = base64Url.Replace('-', '+').Replace('_', '/');
        return s.PadRight(s.Length + ((4 - (s.Length % 4)) % 4), '=');
    }
}
