using System.Diagnostics;
using System.Net;
using FluentAssertions;
using Rigging.Proxy.Tests.Infrastructure;

namespace Rigging.Proxy.Tests.Security.Jwt;

/// <summary>remote_jwks through a real proxy and a real JWKS server on loopback: caching, kid refetch, down and slow servers.</summary>
public sealed class RemoteJwksTests : IAsyncLifetime
{
    private const string Issuer = "https://remote.example";
    private const string InlineIssuer = "https://inline.example";
    private static readonly HttpClient Client = new(new SocketsHttpHandler { UseProxy = false });
    private readonly TestKey _first = TestKey.Rsa("k1");
    private readonly TestKey _second = TestKey.Ec("k2");
    private readonly TestKey _inline = TestKey.Rsa("inline");
    private TestBackend _backend = null!;
    private ProxyFixture _mesh = null!;
    private JwksServer _jwks = null!;
    private int _port;

    public async Task InitializeAsync()
    {
        _backend = await TestBackend.StartAsync("app");
        _mesh = await ProxyFixture.StartAsync();
        _jwks = await JwksServer.StartAsync(TestKey.Jwks(_first));
        _port = FreePort.Get();
    }

    public async Task DisposeAsync()
    {
        await _mesh.DisposeAsync();
        await _jwks.DisposeAsync();
        await _backend.DisposeAsync();
        _first.Dispose();
        _second.Dispose();
        _inline.Dispose();
    }

    /// <summary>Applies a listener with a remote provider for <paramref name="uri"/> and an inline one beside it.</summary>
    private Task Apply(string uri, TimeSpan timeout) => _mesh.ApplyAsync(
        EnvoyConfig.EdsCluster("app"), EnvoyConfig.Endpoints("app", _backend.Port),
        EnvoyConfig.FilteredListener(_port, EnvoyConfig.JwtFilter(EnvoyConfig.IstioJwt(
            ("remote", EnvoyConfig.RemoteJwtProvider(Issuer, uri, timeout)),
            ("inline", EnvoyConfig.LocalJwtProvider(InlineIssuer, TestKey.Jwks(_inline)))))),
        EnvoyConfig.Routes("r", EnvoyConfig.Prefix("/", "app")));

    private static Dictionary<string, object> Claims(string issuer) => new()
    {
        ["iss"] = issuer,
        ["sub"] = "bob",
        ["exp"] = TimeProvider.System.GetUtcNow().ToUnixTimeSeconds() + 3600,
    };

    private async Task<HttpResponseMessage> Send(string? token)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, $"http://127.0.0.1:{_port}/x");
        if (token is not null) request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + token);
        return await Client.SendAsync(request);
    }

    [Fact]
    public async Task Keys_are_fetched_once_and_served_from_the_cache()
    {
        await Apply(_jwks.Uri, TimeSpan.FromSeconds(2));
        for (var i = 0; i < 5; i++)
        {
            using var response = await Send(_first.Sign(Claims(Issuer)));
            response.StatusCode.Should().Be(HttpStatusCode.OK);
        }

        _jwks.Fetches.Should().Be(1);
    }

    [Fact]
    public async Task A_config_push_naming_the_same_uri_does_not_refetch()
    {
        await Apply(_jwks.Uri, TimeSpan.FromSeconds(2));
        (await Send(_first.Sign(Claims(Issuer)))).StatusCode.Should().Be(HttpStatusCode.OK);

        await Apply(_jwks.Uri, TimeSpan.FromSeconds(3));
        using var response = await Send(_first.Sign(Claims(Issuer)));

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        _jwks.Fetches.Should().Be(1);
    }

    [Fact]
    public async Task Unknown_kid_refetches_once_and_a_rotated_in_key_then_passes()
    {
        await Apply(_jwks.Uri, TimeSpan.FromSeconds(2));
        (await Send(_first.Sign(Claims(Issuer)))).StatusCode.Should().Be(HttpStatusCode.OK);
        _jwks.Jwks = TestKey.Jwks(_first, _second);

        using var rotated = await Send(_second.Sign(Claims(Issuer)));
        rotated.StatusCode.Should().Be(HttpStatusCode.OK);
        _jwks.Fetches.Should().Be(2);

        // Random kids do not make the proxy hammer the issuer: within the interval, no further fetch.
        using var random = await Send(_first.Sign(Claims(Issuer), kid: "random"));
        random.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        (await random.Content.ReadAsStringAsync()).Should().Be("Jwks doesn't have key to match kid or alg from Jwt");
        _jwks.Fetches.Should().Be(2);
    }

    [Fact]
    public async Task Jwks_server_down_refuses_the_token_quickly_and_other_requests_pass()
    {
        await Apply($"http://127.0.0.1:{FreePort.Get()}/down-{_jwks.Port}/jwks", TimeSpan.FromSeconds(1));
        var clock = Stopwatch.StartNew();

        using var refused = await Send(_first.Sign(Claims(Issuer)));

        refused.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        (await refused.Content.ReadAsStringAsync()).Should().Be("Jwks remote fetch is failed");
        clock.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(2));
        (await Send(null)).StatusCode.Should().Be(HttpStatusCode.OK);
        (await Send(_inline.Sign(Claims(InlineIssuer)))).StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Slow_jwks_server_costs_at_most_the_timeout_and_blocks_no_other_request()
    {
        _jwks.Delay = TimeSpan.FromSeconds(30);
        await Apply(_jwks.Uri, TimeSpan.FromMilliseconds(1500));
        var clock = Stopwatch.StartNew();

        var slow = Send(_first.Sign(Claims(Issuer)));
        using (var other = await Send(null))
        {
            other.StatusCode.Should().Be(HttpStatusCode.OK);
            clock.Elapsed.Should().BeLessThan(TimeSpan.FromMilliseconds(1200), "a request without a token does not wait for the fetch");
        }
        using (var inline = await Send(_inline.Sign(Claims(InlineIssuer))))
        {
            inline.StatusCode.Should().Be(HttpStatusCode.OK);
        }
        using var refused = await slow;

        refused.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        (await refused.Content.ReadAsStringAsync()).Should().Be("Jwks remote fetch is failed");
        clock.Elapsed.Should().BeGreaterThan(TimeSpan.FromMilliseconds(1300)).And.BeLessThan(TimeSpan.FromSeconds(4));

        // Right after a failed fetch, tokens are refused at once instead of waiting again.
        var again = Stopwatch.StartNew();
        using var fast = await Send(_first.Sign(Claims(Issuer)));
        fast.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        again.Elapsed.Should().BeLessThan(TimeSpan.FromMilliseconds(400));
    }

    [Fact]
    public async Task Concurrent_requests_share_one_fetch()
    {
        _jwks.Delay = TimeSpan.FromMilliseconds(300);
        await Apply(_jwks.Uri, TimeSpan.FromSeconds(3));
        var token = _first.Sign(Claims(Issuer));

        var responses = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => Send(token)));

        responses.Should().OnlyContain(r => r.StatusCode == HttpStatusCode.OK);
        _jwks.Fetches.Should().Be(1);
        foreach (var response in responses) response.Dispose();
    }
}
