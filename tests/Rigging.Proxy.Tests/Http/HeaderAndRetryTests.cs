using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using FluentAssertions;
using Microsoft.AspNetCore.Http;
using Rigging.Proxy.Tests.Infrastructure;

namespace Rigging.Proxy.Tests.Http;

/// <summary>Hop-by-hop rules, forwarding headers, x-envoy-* headers, retries of requests with bodies, mirroring.</summary>
public sealed class HeaderAndRetryTests
{
    private static readonly HttpClient Client = new(new SocketsHttpHandler { UseProxy = false, PooledConnectionLifetime = TimeSpan.Zero });

    [Fact]
    public async Task Connection_listed_and_hop_by_hop_headers_stay_on_their_hop()
    {
        await using var backend = await TestBackend.StartAsync("b");
        await using var mesh = await ProxyFixture.StartAsync();
        var port = FreePort.Get();
        await mesh.ApplyAsync(EnvoyConfig.EdsCluster("b"), EnvoyConfig.Endpoints("b", backend.Port),
            EnvoyConfig.HttpListener("in", port, "r"), EnvoyConfig.Routes("r", EnvoyConfig.Prefix("/", "b")));

        // A raw request: HttpClient would rewrite the Connection header.
        using var tcp = new System.Net.Sockets.TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, port);
        await tcp.GetStream().WriteAsync(System.Text.Encoding.ASCII.GetBytes(
            "GET /h HTTP/1.1\r\nHost: h\r\nConnection: x-secret\r\nX-Secret: no\r\nKeep-Alive: timeout=5\r\n" +
            "Proxy-Authorization: Basic abc\r\nX-Kept: yes\r\nContent-Length: 0\r\n\r\n"));
        var raw = "";
        var buffer = new byte[8192];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        while (!raw.Contains("\r\n0\r\n\r\n", StringComparison.Ordinal))
        {
            var n = await tcp.GetStream().ReadAsync(buffer, timeout.Token);
            if (n == 0) break;
            raw += System.Text.Encoding.ASCII.GetString(buffer, 0, n);
        }
        var echoed = raw.Split("\r\n\r\n")[0].Split("\r\n").Skip(1).Select(l => l[..l.IndexOf(':')].ToLowerInvariant()).ToList();
        raw.Should().StartWith("HTTP/1.1 200");
        echoed.Should().Contain("x-echo-x-kept");
        echoed.Should().NotContain(["x-echo-x-secret", "x-echo-keep-alive", "x-echo-proxy-authorization"]);
        raw.Should().Contain("x-echo-x-forwarded-proto: http").And.Contain("x-echo-x-forwarded-for: 127.0.0.1");
        echoed.Should().Contain("x-envoy-upstream-service-time");
        // No retry policy: no attempt count.
        echoed.Should().NotContain("x-echo-x-envoy-attempt-count");
    }

    [Fact]
    public async Task Post_with_small_body_is_replayed_on_retry_and_counts_attempts()
    {
        var calls = 0;
        await using var backend = await TestBackend.StartAsync("b", async c =>
        {
            var body = await new StreamReader(c.Request.Body).ReadToEndAsync();
            if (Interlocked.Increment(ref calls) == 1)
            {
                c.Response.StatusCode = 503;
                return;
            }
            await c.Response.WriteAsync($"attempt {c.Request.Headers["x-envoy-attempt-count"]} body {body}");
        });
        await using var mesh = await ProxyFixture.StartAsync();
        var port = FreePort.Get();
        await mesh.ApplyAsync(EnvoyConfig.EdsCluster("b"), EnvoyConfig.Endpoints("b", backend.Port),
            EnvoyConfig.HttpListener("in", port, "r"), EnvoyConfig.Routes("r", EnvoyConfig.Prefix("/", "b").WithRetries("5xx", 2)));

        using var response = await Client.PostAsync($"http://127.0.0.1:{port}/p", new StringContent("payload-123"));

        (await response.Content.ReadAsStringAsync()).Should().Be("attempt 2 body payload-123");
        calls.Should().Be(2);
    }

    [Fact]
    public async Task Post_with_body_over_64_KiB_is_not_retried()
    {
        var calls = 0;
        await using var backend = await TestBackend.StartAsync("b", async c =>
        {
            await new StreamReader(c.Request.Body).ReadToEndAsync();
            Interlocked.Increment(ref calls);
            c.Response.StatusCode = 503;
        });
        await using var mesh = await ProxyFixture.StartAsync();
        var port = FreePort.Get();
        await mesh.ApplyAsync(EnvoyConfig.EdsCluster("b"), EnvoyConfig.Endpoints("b", backend.Port),
            EnvoyConfig.HttpListener("in", port, "r"), EnvoyConfig.Routes("r", EnvoyConfig.Prefix("/", "b").WithRetries("5xx", 2)));

        using var response = await Client.PostAsync($"http://127.0.0.1:{port}/p", new ByteArrayContent(new byte[100 * 1024]));

        response.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);
        calls.Should().Be(1);
    }

    [Fact]
    public async Task Mirror_gets_a_shadow_copy_with_shadow_host_and_main_response_is_unaffected()
    {
        var shadowHosts = new ConcurrentQueue<string>();
        await using var main = await TestBackend.StartAsync("main");
        await using var shadow = await TestBackend.StartAsync("shadow", c =>
        {
            shadowHosts.Enqueue(c.Request.Host.Value ?? "");
            c.Response.StatusCode = 500;
            return Task.CompletedTask;
        });
        await using var mesh = await ProxyFixture.StartAsync();
        var port = FreePort.Get();
        await mesh.ApplyAsync(
            EnvoyConfig.EdsCluster("main"), EnvoyConfig.Endpoints("main", main.Port),
            EnvoyConfig.EdsCluster("shadow"), EnvoyConfig.Endpoints("shadow", shadow.Port),
            EnvoyConfig.HttpListener("in", port, "r"), EnvoyConfig.Routes("r", EnvoyConfig.Prefix("/", "main").WithMirror("shadow")));

        (await Client.GetStringAsync($"http://127.0.0.1:{port}/m")).Should().Be("main /m");
        using var post = await Client.PostAsync($"http://127.0.0.1:{port}/m", new StringContent("small"));
        post.StatusCode.Should().Be(HttpStatusCode.OK);

        for (var i = 0; i < 250 && shadowHosts.Count < 2; i++) await Task.Delay(20);
        shadowHosts.Should().HaveCount(2).And.AllBe($"127.0.0.1-shadow:{port}");
    }

    [Fact]
    public async Task Response_trailers_pass_through_on_http2()
    {
        await using var backend = await TestBackend.StartAsync("b", async c =>
        {
            c.Response.DeclareTrailer("grpc-status");
            await c.Response.WriteAsync("body");
            c.Response.AppendTrailer("grpc-status", "7");
        }, Microsoft.AspNetCore.Server.Kestrel.Core.HttpProtocols.Http2);
        await using var mesh = await ProxyFixture.StartAsync();
        var port = FreePort.Get();
        await mesh.ApplyAsync(EnvoyConfig.Http2Cluster("b"), EnvoyConfig.Endpoints("b", backend.Port),
            EnvoyConfig.HttpListener("in", port, "r"), EnvoyConfig.Routes("r", EnvoyConfig.Prefix("/", "b")));

        using var request = new HttpRequestMessage(HttpMethod.Post, $"http://127.0.0.1:{port}/svc/Method")
        {
            Version = HttpVersion.Version20, VersionPolicy = HttpVersionPolicy.RequestVersionExact, Content = new ByteArrayContent([0, 0, 0, 0, 0]),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/grpc");
        request.Headers.TryAddWithoutValidation("te", "trailers");
        using var response = await Client.SendAsync(request);
        (await response.Content.ReadAsStringAsync()).Should().Be("body");
        response.TrailingHeaders.GetValues("grpc-status").Single().Should().Be("7");
    }
}
