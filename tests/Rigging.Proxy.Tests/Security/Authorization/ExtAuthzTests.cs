using System.Net;
using Envoy.Config.Core.V3;
using Envoy.Type.Matcher.V3;
using FluentAssertions;
using Microsoft.AspNetCore.Http;
using Rigging.Proxy.Tests.Infrastructure;
using Rigging.Proxy.Tests.Routing;
using ExtAuthzProto = Envoy.Extensions.Filters.Http.ExtAuthz.V3;
using Action = Envoy.Config.Rbac.V3.RBAC.Types.Action;

namespace Rigging.Proxy.Tests.Security.Authorization;

/// <summary>envoy.filters.http.ext_authz (HTTP service) against a real small authorization server.</summary>
public sealed class ExtAuthzTests
{
    private static readonly HttpClient Client = new(new SocketsHttpHandler { UseProxy = false });

    /// <summary>Allows a request whose x-user is alice (telling upstream who it is), denies others with 401 and a reason.</summary>
    private static Task<TestBackend> StartAuthzAsync(List<string> seen) => TestBackend.StartAsync("authz", async context =>
    {
        lock (seen) seen.Add($"{context.Request.Method} {context.Request.Path} host={context.Request.Host} x-user={context.Request.Headers["x-user"]} x-secret={context.Request.Headers["x-secret"]}");
        if (context.Request.Headers["x-user"] == "alice")
        {
            context.Response.Headers["x-auth-user"] = "alice@example.com";
            context.Response.Headers["x-not-forwarded"] = "1";
            return;
        }
        context.Response.StatusCode = 401;
        context.Response.Headers.WWWAuthenticate = "Bearer realm=test";
        await context.Response.WriteAsync("who are you?");
    });

    private static async Task<(ProxyFixture Mesh, int Port)> StartAsync(int authzPort, int appPort, params Envoy.Extensions.Filters.Network.HttpConnectionManager.V3.HttpFilter[] filters)
    {
        var mesh = await ProxyFixture.StartAsync();
        var port = FreePort.Get();
        await mesh.ApplyAsync(
            EnvoyConfig.FilteredListener(port, filters),
            EnvoyConfig.Routes("r", EnvoyConfig.Prefix("/", "app")),
            EnvoyConfig.EdsCluster("app"), EnvoyConfig.Endpoints("app", appPort),
            EnvoyConfig.EdsCluster("authz"), EnvoyConfig.Endpoints("authz", authzPort));
        return (mesh, port);
    }

    private static ExtAuthzProto.ExtAuthz Config(TimeSpan? timeout = null)
    {
        var config = EnvoyConfig.ExtAuthz("authz", timeout ?? TimeSpan.FromSeconds(2), "/check");
        config.HttpService.AuthorizationRequest = new ExtAuthzProto.AuthorizationRequest { AllowedHeaders = EnvoyConfig.Names("x-user") };
        config.HttpService.AuthorizationResponse = new ExtAuthzProto.AuthorizationResponse { AllowedUpstreamHeaders = EnvoyConfig.Names("x-auth-user") };
        return config;
    }

    private static async Task<HttpResponseMessage> SendAsync(int port, string path, string? user)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"http://127.0.0.1:{port}{path}");
        if (user is not null) request.Headers.Add("x-user", user);
        request.Headers.Add("x-secret", "s3cret");
        return await Client.SendAsync(request);
    }

    [Fact]
    public async Task Allowed_request_reaches_upstream_with_the_headers_the_server_added()
    {
        var seen = new List<string>();
        await using var authz = await StartAuthzAsync(seen);
        await using var app = await TestBackend.StartAsync("app");
        var (mesh, port) = await StartAsync(authz.Port, app.Port, EnvoyConfig.ExtAuthzFilter(Config()));
        await using var _ = mesh;

        using var response = await SendAsync(port, "/orders?id=7", "alice");

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        (await response.Content.ReadAsStringAsync()).Should().Be("app /orders?id=7");
        response.Headers.GetValues("x-echo-x-auth-user").Should().Equal("alice@example.com");
        response.Headers.Contains("x-echo-x-not-forwarded").Should().BeFalse("only allowed_upstream_headers are taken");
        seen.Should().Equal($"GET /check/orders host=127.0.0.1:{port} x-user=alice x-secret=");
        await Eventually.TrueAsync(() => mesh.Proxy.Stats.Get("ingress", "ext_authz.ok") == 1);
    }

    [Fact]
    public async Task Denied_request_gets_the_servers_status_body_and_headers_and_never_reaches_upstream()
    {
        var seen = new List<string>();
        await using var authz = await StartAuthzAsync(seen);
        await using var app = await TestBackend.StartAsync("app");
        var (mesh, port) = await StartAsync(authz.Port, app.Port, EnvoyConfig.ExtAuthzFilter(Config()));
        await using var _ = mesh;

        using var response = await SendAsync(port, "/orders", "mallory");

        response.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        (await response.Content.ReadAsStringAsync()).Should().Be("who are you?");
        response.Headers.WwwAuthenticate.ToString().Should().Be("Bearer realm=test");
        app.Requests.Should().Be(0);
        await Eventually.TrueAsync(() => mesh.Proxy.Stats.Get("ingress", "ext_authz.denied") == 1);
        await Eventually.TrueAsync(() => mesh.Proxy.Stats.Get("ingress", "response_flags_UAEX") == 1);
    }

    [Fact]
    public async Task Server_down_answers_403_or_status_on_error_or_lets_through_with_failure_mode_allow()
    {
        await using var app = await TestBackend.StartAsync("app");
        var down = FreePort.Get();

        var (closed, closedPort) = await StartAsync(down, app.Port, EnvoyConfig.ExtAuthzFilter(Config()));
        await using (closed)
        {
            using var response = await SendAsync(closedPort, "/", "alice");
            response.StatusCode.Should().Be(HttpStatusCode.Forbidden);
            await Eventually.TrueAsync(() => closed.Proxy.Stats.Get("ingress", "ext_authz.error") == 1);
            await Eventually.TrueAsync(() => closed.Proxy.Stats.Get("ingress", "response_flags_UAEX") == 1);
        }

        var custom = Config();
        custom.StatusOnError = new Envoy.Type.V3.HttpStatus { Code = Envoy.Type.V3.StatusCode.ServiceUnavailable };
        var (status, statusPort) = await StartAsync(down, app.Port, EnvoyConfig.ExtAuthzFilter(custom));
        await using (status)
        {
            using var response = await SendAsync(statusPort, "/", "alice");
            response.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);
        }

        var open = Config();
        open.FailureModeAllow = true;
        var (failOpen, openPort) = await StartAsync(down, app.Port, EnvoyConfig.ExtAuthzFilter(open));
        await using (failOpen)
        {
            using var response = await SendAsync(openPort, "/", null);
            response.StatusCode.Should().Be(HttpStatusCode.OK);
            app.Requests.Should().Be(1);
            await Eventually.TrueAsync(() => failOpen.Proxy.Stats.Get("ingress", "ext_authz.failure_mode_allowed") == 1);
        }
    }

    [Fact]
    public async Task Slow_server_past_the_timeout_counts_as_an_error()
    {
        await using var slow = await TestBackend.StartAsync("slow", async context => await Task.Delay(TimeSpan.FromSeconds(3), context.RequestAborted));
        await using var app = await TestBackend.StartAsync("app");
        var (mesh, port) = await StartAsync(slow.Port, app.Port, EnvoyConfig.ExtAuthzFilter(Config(TimeSpan.FromMilliseconds(200))));
        await using var _ = mesh;

        var clock = System.Diagnostics.Stopwatch.StartNew();
        using var response = await SendAsync(port, "/", "alice");

        response.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        clock.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(2));
        app.Requests.Should().Be(0);
    }

    [Fact]
    public async Task Only_requests_marked_by_the_rbac_shadow_policy_are_checked_as_istio_custom_does()
    {
        var seen = new List<string>();
        await using var authz = await StartAuthzAsync(seen);
        await using var app = await TestBackend.StartAsync("app");
        var shadow = EnvoyConfig.Rbac(Action.Deny, ("istio-ext-authz-ns[default]-policy[ext]-rule[0]", EnvoyConfig.PathPrefix("/secure"), EnvoyConfig.AnyPrincipal()));
        var config = Config();
        config.FilterEnabledMetadata = new MetadataMatcher
        {
            Filter = "envoy.filters.http.rbac",
            Path = { new MetadataMatcher.Types.PathSegment { Key = "istio_ext_authz_shadow_effective_policy_id" } },
            Value = new ValueMatcher { StringMatch = new StringMatcher { Prefix = "istio-ext-authz" } },
        };
        var (mesh, port) = await StartAsync(authz.Port, app.Port, EnvoyConfig.RbacFilter(null, shadow, "istio_ext_authz_"), EnvoyConfig.ExtAuthzFilter(config));
        await using var _ = mesh;

        using (var open = await SendAsync(port, "/open", "mallory")) open.StatusCode.Should().Be(HttpStatusCode.OK);
        using (var secure = await SendAsync(port, "/secure", "mallory")) secure.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        using (var secureAlice = await SendAsync(port, "/secure", "alice")) secureAlice.StatusCode.Should().Be(HttpStatusCode.OK);

        seen.Should().HaveCount(2, "/open is not checked");
        mesh.Proxy.Stats.Get("ingress", "ext_authz.disabled").Should().Be(1);
    }
}
