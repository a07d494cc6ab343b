using System.Net;
using Envoy.Config.Route.V3;
using Envoy.Type.Matcher.V3;
using FluentAssertions;
using Google.Protobuf.WellKnownTypes;
using Rigging.Proxy.Tests.Infrastructure;

namespace Rigging.Proxy.Tests.Filters;

/// <summary>envoy.filters.http.cors through a real proxy: preflights answered here, CORS headers on responses.</summary>
public sealed class CorsFilterTests : IAsyncLifetime
{
    private static readonly HttpClient Client = new(new SocketsHttpHandler { UseProxy = false });
    private TestBackend _backend = null!;
    private ProxyFixture _mesh = null!;
    private int _port;

    public async Task InitializeAsync()
    {
        _backend = await TestBackend.StartAsync("app");
        _mesh = await ProxyFixture.StartAsync();
        _port = FreePort.Get();
        var typed = EnvoyConfig.Prefix("/typed", "app");
        typed.TypedPerFilterConfig[EnvoyConfig.CorsFilterName] = Any.Pack(EnvoyConfig.Cors("https://shop.example",
            methods: "GET,PUT", headers: "x-token", expose: "x-trace", maxAge: "600", credentials: true));
        // The deprecated RouteAction.cors (what Istio's VirtualService corsPolicy becomes) counts too.
        var legacy = EnvoyConfig.Prefix("/legacy", "app");
        legacy.Route_.Cors = new CorsPolicy { AllowMethods = "POST" };
        legacy.Route_.Cors.AllowOriginStringMatch.Add(new StringMatcher { Suffix = ".example.org" });
        await _mesh.ApplyAsync(
            EnvoyConfig.EdsCluster("app"), EnvoyConfig.Endpoints("app", _backend.Port),
            EnvoyConfig.FilteredListener(_port, EnvoyConfig.CorsFilter()),
            EnvoyConfig.Routes("r", typed, legacy, EnvoyConfig.Prefix("/", "app")));
    }

    public async Task DisposeAsync()
    {
        await _mesh.DisposeAsync();
        await _backend.DisposeAsync();
    }

    private async Task<HttpResponseMessage> Send(HttpMethod method, string path, string? origin, string? requestMethod = null)
    {
        var request = new HttpRequestMessage(method, $"http://127.0.0.1:{_port}{path}");
        if (origin is not null) request.Headers.Add("Origin", origin);
        if (requestMethod is not null) request.Headers.Add("Access-Control-Request-Method", requestMethod);
        return await Client.SendAsync(request);
    }

    [Fact]
    public async Task Preflight_from_an_allowed_origin_is_answered_by_the_proxy()
    {
        var before = _backend.Requests;
        using var response = await Send(HttpMethod.Options, "/typed/x", "https://shop.example", "PUT");

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        response.Headers.GetValues("Access-Control-Allow-Origin").Single().Should().Be("https://shop.example");
        response.Headers.GetValues("Access-Control-Allow-Methods").Single().Should().Be("GET,PUT");
        response.Headers.GetValues("Access-Control-Allow-Headers").Single().Should().Be("x-token");
        response.Headers.GetValues("Access-Control-Max-Age").Single().Should().Be("600");
        response.Headers.GetValues("Access-Control-Allow-Credentials").Single().Should().Be("true");
        _backend.Requests.Should().Be(before, "a preflight never reaches the upstream");
    }

    [Fact]
    public async Task Actual_request_from_an_allowed_origin_gets_cors_response_headers()
    {
        using var response = await Send(HttpMethod.Get, "/typed/x", "https://shop.example");

        (await response.Content.ReadAsStringAsync()).Should().Be("app /typed/x");
        response.Headers.GetValues("Access-Control-Allow-Origin").Single().Should().Be("https://shop.example");
        response.Headers.GetValues("Access-Control-Expose-Headers").Single().Should().Be("x-trace");
        response.Headers.GetValues("Access-Control-Allow-Credentials").Single().Should().Be("true");
    }

    [Fact]
    public async Task Disallowed_origin_or_route_without_policy_passes_through_untouched()
    {
        using var wrongOrigin = await Send(HttpMethod.Options, "/typed/x", "https://evil.example", "PUT");
        wrongOrigin.Headers.Contains("Access-Control-Allow-Origin").Should().BeFalse();
        (await wrongOrigin.Content.ReadAsStringAsync()).Should().Be("app /typed/x", "a preflight the policy does not allow is forwarded");

        using var noPolicy = await Send(HttpMethod.Get, "/plain", "https://shop.example");
        noPolicy.Headers.Contains("Access-Control-Allow-Origin").Should().BeFalse();
    }

    [Fact]
    public async Task Legacy_route_action_cors_policy_is_honoured()
    {
        using var preflight = await Send(HttpMethod.Options, "/legacy", "https://a.example.org", "POST");
        preflight.Headers.GetValues("Access-Control-Allow-Methods").Single().Should().Be("POST");
        preflight.Headers.Contains("Access-Control-Allow-Credentials").Should().BeFalse();
    }
}
