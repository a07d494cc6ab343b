using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Text;
using FluentAssertions;
using Microsoft.AspNetCore.Http;
using Rigging.Proxy.Tests.Infrastructure;

namespace Rigging.Proxy.Tests.Listeners;

/// <summary>The outbound HTTP proxy port (absolute-form, CONNECT), TLS passthrough by SNI, TCP proxy, drain.</summary>
public sealed class ListenerTests
{
    [Fact]
    public async Task Absolute_form_requests_route_by_the_target_authority()
    {
        await using var reviews = await TestBackend.StartAsync("reviews");
        await using var ratings = await TestBackend.StartAsync("ratings");
        await using var mesh = await ProxyFixture.StartAsync();
        var port = FreePort.Get();
        await mesh.ApplyAsync(
            EnvoyConfig.EdsCluster("reviews"), EnvoyConfig.Endpoints("reviews", reviews.Port),
            EnvoyConfig.EdsCluster("ratings"), EnvoyConfig.Endpoints("ratings", ratings.Port),
            EnvoyConfig.HttpListener("outbound", port, "r"),
            EnvoyConfig.RoutesByAuthority("r", ("reviews:9080", "reviews"), ("ratings:9080", "ratings")));
        using var client = new HttpClient(new SocketsHttpHandler { Proxy = new WebProxy($"http://127.0.0.1:{port}"), UseProxy = true });

        (await client.GetStringAsync("http://reviews:9080/r/1")).Should().Be("reviews /r/1");
        (await client.GetStringAsync("http://ratings:9080/s?x=2")).Should().Be("ratings /s?x=2");
        (await client.GetAsync("http://details:9080/")).StatusCode.Should().Be(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Connect_tunnels_to_the_cluster_routed_for_the_authority()
    {
        await using var db = TcpBackend.Start("db");
        await using var mesh = await ProxyFixture.StartAsync();
        var port = FreePort.Get();
        await mesh.ApplyAsync(
            EnvoyConfig.EdsCluster("db"), EnvoyConfig.Endpoints("db", db.Port),
            EnvoyConfig.HttpListener("outbound", port, "r"),
            EnvoyConfig.RoutesByAuthority("r", ("db.internal:5432", "db")));

        using var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, port);
        var stream = tcp.GetStream();
        stream.ReadTimeout = 5000;
        await stream.WriteAsync(Encoding.ASCII.GetBytes("CONNECT db.internal:5432 HTTP/1.1\r\nHost: db.internal:5432\r\n\r\n"));
        var reader = new StreamReader(stream, Encoding.ASCII);
        (await reader.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(5))).Should().Be("HTTP/1.1 200 Connection established");
        (await reader.ReadLineAsync()).Should().Be("");
        (await reader.ReadLineAsync()).Should().Be("db");
        await stream.WriteAsync(Encoding.ASCII.GetBytes("ping\n"));
        (await reader.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(5))).Should().Be("ping");

        using var other = new TcpClient();
        await other.ConnectAsync(IPAddress.Loopback, port);
        await other.GetStream().WriteAsync(Encoding.ASCII.GetBytes("CONNECT nowhere:1 HTTP/1.1\r\n\r\n"));
        var answer = await new StreamReader(other.GetStream()).ReadToEndAsync().WaitAsync(TimeSpan.FromSeconds(5));
        answer.Should().StartWith("HTTP/1.1 404");
    }

    [Fact]
    public async Task Tls_passthrough_chooses_the_chain_by_sni()
    {
        await using var a = TcpBackend.Start("a-backend", tls: true);
        await using var b = TcpBackend.Start("b-backend", tls: true);
        await using var mesh = await ProxyFixture.StartAsync();
        var port = FreePort.Get();
        await mesh.ApplyAsync(
            EnvoyConfig.EdsCluster("a"), EnvoyConfig.Endpoints("a", a.Port),
            EnvoyConfig.EdsCluster("b"), EnvoyConfig.Endpoints("b", b.Port),
            EnvoyConfig.SniListener("passthrough", port, ("a.example", "a"), ("b.example", "b")));

        (await GreetingOverTlsAsync(port, "b.example")).Should().Be("b-backend");
        (await GreetingOverTlsAsync(port, "a.example")).Should().Be("a-backend");
        // No chain for this name: the connection is closed.
        var unknown = async () => await GreetingOverTlsAsync(port, "c.example");
        await unknown.Should().ThrowAsync<Exception>();
    }

    private static async Task<string?> GreetingOverTlsAsync(int port, string serverName)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, port);
        await using var ssl = new SslStream(tcp.GetStream(), false, (_, _, _, _) => true);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await ssl.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
        {
            TargetHost = serverName,
            ApplicationProtocols = [SslApplicationProtocol.Http11],
        }, timeout.Token);
        return await new StreamReader(ssl).ReadLineAsync(timeout.Token);
    }

    [Fact]
    public async Task Tcp_proxy_splits_connections_by_cluster_weight()
    {
        await using var v1 = TcpBackend.Start("v1");
        await using var v2 = TcpBackend.Start("v2");
        await using var mesh = await ProxyFixture.StartAsync(new Random(3));
        var port = FreePort.Get();
        await mesh.ApplyAsync(
            EnvoyConfig.EdsCluster("v1"), EnvoyConfig.Endpoints("v1", v1.Port),
            EnvoyConfig.EdsCluster("v2"), EnvoyConfig.Endpoints("v2", v2.Port),
            EnvoyConfig.WeightedTcpListener("tcp", port, null, ("v1", 75), ("v2", 25)));

        var counts = new Dictionary<string, int> { ["v1"] = 0, ["v2"] = 0 };
        for (var i = 0; i < 200; i++)
        {
            using var tcp = new TcpClient();
            await tcp.ConnectAsync(IPAddress.Loopback, port);
            var name = await new StreamReader(tcp.GetStream()).ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(5));
            counts[name!]++;
        }
        counts["v1"].Should().BeInRange(125, 175);
        (counts["v1"] + counts["v2"]).Should().Be(200);
    }

    [Fact]
    public async Task Tcp_proxy_closes_an_idle_connection_after_the_idle_timeout()
    {
        await using var backend = TcpBackend.Start("idle");
        await using var mesh = await ProxyFixture.StartAsync();
        var port = FreePort.Get();
        await mesh.ApplyAsync(EnvoyConfig.EdsCluster("idle"), EnvoyConfig.Endpoints("idle", backend.Port),
            EnvoyConfig.WeightedTcpListener("tcp", port, TimeSpan.FromMilliseconds(300), ("idle", 1)));

        using var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, port);
        var reader = new StreamReader(tcp.GetStream());
        (await reader.ReadLineAsync()).Should().Be("idle");
        var clock = System.Diagnostics.Stopwatch.StartNew();
        string? end;
        try
        {
            end = await reader.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(5));
        }
        catch (IOException)
        {
            end = null;
        }
        end.Should().BeNull("the proxy closed the idle connection");
        clock.Elapsed.Should().BeGreaterThan(TimeSpan.FromMilliseconds(200));
    }

    [Fact]
    public async Task Removed_listener_lets_requests_in_flight_finish_and_refuses_new_connections()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var backend = await TestBackend.StartAsync("slow", async c =>
        {
            started.TrySetResult();
            await release.Task.WaitAsync(TimeSpan.FromSeconds(10));
            await c.Response.WriteAsync("finished");
        });
        // The drain must outlast the steps below on a loaded machine; the request in flight ends it early.
        await using var mesh = await ProxyFixture.StartAsync(drainDuration: TimeSpan.FromSeconds(10));
        var port = FreePort.Get();
        var other = FreePort.Get();
        await mesh.ApplyAsync(EnvoyConfig.EdsCluster("slow"), EnvoyConfig.Endpoints("slow", backend.Port),
            EnvoyConfig.HttpListener("old", port, "r"), EnvoyConfig.Routes("r", EnvoyConfig.Prefix("/", "slow")));
        using var client = new HttpClient(new SocketsHttpHandler { UseProxy = false });

        var inFlight = client.GetStringAsync($"http://127.0.0.1:{port}/long");
        await started.Task.WaitAsync(TimeSpan.FromSeconds(5));
        await mesh.ApplyAsync(EnvoyConfig.EdsCluster("slow"), EnvoyConfig.Endpoints("slow", backend.Port),
            EnvoyConfig.HttpListener("new", other, "r"), EnvoyConfig.Routes("r", EnvoyConfig.Prefix("/", "slow")));
        await Task.Delay(100);
        var refused = async () => await new HttpClient(new SocketsHttpHandler { UseProxy = false }).GetAsync($"http://127.0.0.1:{port}/late");
        await refused.Should().ThrowAsync<HttpRequestException>();
        release.SetResult();
        (await inFlight.WaitAsync(TimeSpan.FromSeconds(5))).Should().Be("finished");
    }
}
