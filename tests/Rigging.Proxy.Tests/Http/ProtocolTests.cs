using System.Net;
using System.Net.WebSockets;
using System.Text;
using FluentAssertions;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Rigging.Proxy.Tests.Infrastructure;

namespace Rigging.Proxy.Tests.Http;

/// <summary>HTTP/1.1, h2c, upstream HTTP/2, WebSocket and streaming through a real proxy.</summary>
public sealed class ProtocolTests
{
    private static readonly HttpClient Client = new(new SocketsHttpHandler { UseProxy = false, PooledConnectionLifetime = TimeSpan.Zero });

    private static async Task<(TestBackend Backend, ProxyFixture Mesh, int Port)> StartAsync(RequestDelegate? handler = null, HttpProtocols protocols = HttpProtocols.Http1, bool http2Upstream = false)
    {
        var backend = await TestBackend.StartAsync("b", handler, protocols);
        var mesh = await ProxyFixture.StartAsync();
        var port = FreePort.Get();
        await mesh.ApplyAsync(
            http2Upstream ? EnvoyConfig.Http2Cluster("b") : EnvoyConfig.EdsCluster("b"), EnvoyConfig.Endpoints("b", backend.Port),
            EnvoyConfig.HttpListener("in", port, "r"), EnvoyConfig.Routes("r", EnvoyConfig.Prefix("/", "b")));
        return (backend, mesh, port);
    }

    [Fact]
    public async Task H2c_prior_knowledge_client_is_served_over_http2()
    {
        var (backend, mesh, port) = await StartAsync(c => c.Response.WriteAsync("downstream saw " + c.Request.Protocol));
        await using (backend)
        await using (mesh)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, $"http://127.0.0.1:{port}/x") { Version = HttpVersion.Version20, VersionPolicy = HttpVersionPolicy.RequestVersionExact };
            using var response = await Client.SendAsync(request);

            response.Version.Should().Be(HttpVersion.Version20);
            (await response.Content.ReadAsStringAsync()).Should().Be("downstream saw HTTP/1.1");
            // The same port still serves HTTP/1.1.
            (await Client.GetStringAsync($"http://127.0.0.1:{port}/y")).Should().Be("downstream saw HTTP/1.1");
        }
    }

    [Fact]
    public async Task Cluster_with_http2_protocol_options_speaks_http2_upstream()
    {
        var (backend, mesh, port) = await StartAsync(c => c.Response.WriteAsync(c.Request.Protocol), HttpProtocols.Http2, http2Upstream: true);
        await using (backend)
        await using (mesh)
        {
            (await Client.GetStringAsync($"http://127.0.0.1:{port}/")).Should().Be("HTTP/2");
        }
    }

    [Fact]
    public async Task Cluster_using_the_downstream_protocol_sends_each_request_in_the_version_it_arrived_in()
    {
        // Two backends that each speak one version: a request reaches its backend only in that backend's version.
        await using var h2 = await TestBackend.StartAsync("h2", c => c.Response.WriteAsync(c.Request.Protocol), HttpProtocols.Http2);
        await using var h1 = await TestBackend.StartAsync("h1", c => c.Response.WriteAsync(c.Request.Protocol), HttpProtocols.Http1);
        await using var mesh = await ProxyFixture.StartAsync();
        var port = FreePort.Get();
        await mesh.ApplyAsync(
            EnvoyConfig.DownstreamProtocolCluster("h2"), EnvoyConfig.Endpoints("h2", h2.Port),
            EnvoyConfig.DownstreamProtocolCluster("h1"), EnvoyConfig.Endpoints("h1", h1.Port),
            EnvoyConfig.HttpListener("in", port, "r"), EnvoyConfig.Routes("r", EnvoyConfig.Prefix("/h2", "h2"), EnvoyConfig.Prefix("/h1", "h1")));

        async Task<(HttpStatusCode Status, string Body)> SendAsync(string path, Version version)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, $"http://127.0.0.1:{port}{path}") { Version = version, VersionPolicy = HttpVersionPolicy.RequestVersionExact };
            using var response = await Client.SendAsync(request);
            return (response.StatusCode, await response.Content.ReadAsStringAsync());
        }

        (await SendAsync("/h2", HttpVersion.Version20)).Should().Be((HttpStatusCode.OK, "HTTP/2"), "an h2c client's request goes upstream over HTTP/2");
        (await SendAsync("/h1", HttpVersion.Version11)).Should().Be((HttpStatusCode.OK, "HTTP/1.1"), "an HTTP/1.1 client's request stays HTTP/1.1");
        (await SendAsync("/h1", HttpVersion.Version20)).Status.Should().NotBe(HttpStatusCode.OK, "an h2c request is not downgraded for an HTTP/1.1-only backend");
        (await SendAsync("/h2", HttpVersion.Version11)).Status.Should().NotBe(HttpStatusCode.OK, "nor an HTTP/1.1 request upgraded");
    }

    [Fact]
    public async Task WebSocket_upgrade_is_bridged_both_ways()
    {
        await using var backend = await WireBackends.WebSocketEchoAsync();
        await using var mesh = await ProxyFixture.StartAsync();
        var port = FreePort.Get();
        await mesh.ApplyAsync(EnvoyConfig.EdsCluster("ws"), EnvoyConfig.Endpoints("ws", backend.Port),
            EnvoyConfig.HttpListener("in", port, "r"), EnvoyConfig.Routes("r", EnvoyConfig.Prefix("/", "ws")));

        using var socket = new ClientWebSocket();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await socket.ConnectAsync(new Uri($"ws://127.0.0.1:{port}/chat"), timeout.Token);
        var buffer = new byte[1024];
        for (var i = 0; i < 3; i++)
        {
            await socket.SendAsync(Encoding.UTF8.GetBytes($"hello {i}"), WebSocketMessageType.Text, true, timeout.Token);
            var received = await socket.ReceiveAsync(buffer, timeout.Token);
            Encoding.UTF8.GetString(buffer, 0, received.Count).Should().Be($"echo hello {i}");
        }
        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", timeout.Token);
        socket.CloseStatus.Should().Be(WebSocketCloseStatus.NormalClosure);
    }

    [Fact]
    public async Task Streaming_response_arrives_chunk_by_chunk()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var (backend, mesh, port) = await StartAsync(async c =>
        {
            await c.Response.WriteAsync("first;");
            await c.Response.Body.FlushAsync();
            await release.Task.WaitAsync(TimeSpan.FromSeconds(10));
            await c.Response.WriteAsync("second");
        });
        await using (backend)
        await using (mesh)
        {
            using var response = await Client.GetAsync($"http://127.0.0.1:{port}/stream", HttpCompletionOption.ResponseHeadersRead);
            await using var body = await response.Content.ReadAsStreamAsync();
            var buffer = new byte[64];
            // The first chunk comes through while the backend is still holding the second back.
            var first = await body.ReadAsync(buffer).AsTask().WaitAsync(TimeSpan.FromSeconds(5));
            Encoding.ASCII.GetString(buffer, 0, first).Should().Be("first;");
            release.SetResult();
            var rest = await new StreamReader(body).ReadToEndAsync().WaitAsync(TimeSpan.FromSeconds(5));
            rest.Should().Be("second");
        }
    }

    [Fact]
    public async Task Streaming_request_body_reaches_backend_before_it_ends()
    {
        var seen = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var (backend, mesh, port) = await StartAsync(async c =>
        {
            var buffer = new byte[64];
            var n = await c.Request.Body.ReadAsync(buffer);
            seen.SetResult(Encoding.ASCII.GetString(buffer, 0, n));
            var rest = await new StreamReader(c.Request.Body).ReadToEndAsync();
            await c.Response.WriteAsync("got " + rest);
        });
        await using (backend)
        await using (mesh)
        {
            var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var send = Client.PostAsync($"http://127.0.0.1:{port}/up", new TwoPartContent(gate.Task));
            (await seen.Task.WaitAsync(TimeSpan.FromSeconds(5))).Should().Be("part1");
            gate.SetResult();
            using var response = await send.WaitAsync(TimeSpan.FromSeconds(5));
            (await response.Content.ReadAsStringAsync()).Should().Be("got part2");
        }
    }

    [Fact]
    public async Task Upstream_reset_mid_body_cuts_the_downstream_connection_and_flags_UR()
    {
        var cut = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var (backend, mesh, port) = await StartAsync(async c =>
        {
            c.Response.ContentLength = 1000;
            await c.Response.WriteAsync("partial");
            await c.Response.Body.FlushAsync();
            // Reset only once the client has the headers: the cut is mid-body, not before the response.
            await cut.Task.WaitAsync(TimeSpan.FromSeconds(10));
            c.Abort();
        });
        await using (backend)
        await using (mesh)
        {
            var read = async () =>
            {
                using var response = await Client.GetAsync($"http://127.0.0.1:{port}/cut", HttpCompletionOption.ResponseHeadersRead);
                response.StatusCode.Should().Be(HttpStatusCode.OK);
                var stream = await response.Content.ReadAsStreamAsync();
                _ = await stream.ReadAtLeastAsync(new byte[16], 1);
                cut.TrySetResult();
                await new StreamReader(stream).ReadToEndAsync().WaitAsync(TimeSpan.FromSeconds(5));
            };
            await read.Should().ThrowAsync<Exception>();
            for (var i = 0; i < 100 && mesh.Proxy.Stats.Get("in", "response_flags_UR") == 0; i++) await Task.Delay(20);
            mesh.Proxy.Stats.Get("in", "response_flags_UR").Should().Be(1);
        }
    }

    /// <summary>A request body sent in two flushed parts, the second only when the gate opens.</summary>
    private sealed class TwoPartContent(Task gate) : HttpContent
    {
        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            await stream.WriteAsync(Encoding.ASCII.GetBytes("part1"));
            await stream.FlushAsync();
            await gate.WaitAsync(TimeSpan.FromSeconds(10));
            await stream.WriteAsync(Encoding.ASCII.GetBytes("part2"));
        }

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }
}
