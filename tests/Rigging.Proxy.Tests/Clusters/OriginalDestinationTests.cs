using System.Net;
using System.Net.Sockets;
using System.Text;
using Envoy.Config.Cluster.V3;
using Envoy.Config.Route.V3;
using FluentAssertions;
using Google.Protobuf.WellKnownTypes;
using Rigging.Proxy.Clusters;
using Rigging.Proxy.Clusters.OriginalDestination;
using Rigging.Proxy.Config;
using Rigging.Proxy.Tests.Infrastructure;
using Rigging.Proxy.Tests.Listeners;

namespace Rigging.Proxy.Tests.Clusters;

/// <summary>
/// ORIGINAL_DST (Istio's PassthroughCluster) behind the HTTP_PROXY port: the destination is what the app asked for,
/// hosts are made per destination and swept when unused; STATIC with no endpoints (BlackHoleCluster) answers 503 UH.
/// </summary>
public sealed class OriginalDestinationTests
{
    private static Cluster OriginalDst(string name, Cluster.Types.OriginalDstLbConfig? lb = null) => new()
    {
        Name = name,
        Type = Cluster.Types.DiscoveryType.OriginalDst,
        LbPolicy = Cluster.Types.LbPolicy.ClusterProvided,
        ConnectTimeout = Duration.FromTimeSpan(TimeSpan.FromSeconds(2)),
        OriginalDstLbConfig = lb,
    };

    private static Cluster BlackHole() => new()
    {
        Name = "BlackHoleCluster",
        Type = Cluster.Types.DiscoveryType.Static,
        ConnectTimeout = Duration.FromTimeSpan(TimeSpan.FromSeconds(2)),
    };

    private static RouteConfiguration AllTo(string cluster) => EnvoyConfig.Routes("r", EnvoyConfig.Prefix("/", cluster));

    [Fact]
    public async Task One_original_dst_cluster_reaches_two_destinations_each_as_the_app_asked()
    {
        await using var a = await TestBackend.StartAsync("a");
        await using var b = await TestBackend.StartAsync("b");
        await using var mesh = await ProxyFixture.StartAsync();
        var port = FreePort.Get();
        await mesh.ApplyAsync(OriginalDst("PassthroughCluster"), EnvoyConfig.HttpListener("outbound", port, "r"), AllTo("PassthroughCluster"));
        using var app = new HttpClient(new SocketsHttpHandler { Proxy = new WebProxy($"http://127.0.0.1:{port}"), UseProxy = true });

        (await app.GetStringAsync($"http://127.0.0.1:{a.Port}/x")).Should().Be("a /x");
        (await app.GetStringAsync($"http://127.0.0.1:{b.Port}/y?q=1")).Should().Be("b /y?q=1");
        (await app.GetStringAsync($"http://localhost:{a.Port}/z")).Should().Be("a /z", "a DNS name is resolved when the connection is made");

        var hosts = mesh.Proxy.State.Current.Clusters["PassthroughCluster"].OriginalDestinations!.Hosts;
        hosts.Select(h => h.Config.Key).Should().BeEquivalentTo($"127.0.0.1:{a.Port}", $"127.0.0.1:{b.Port}", $"localhost:{a.Port}");
        hosts.Should().AllSatisfy(h => h.TotalRequests.Should().Be(1));
    }

    [Fact]
    public async Task A_bad_authority_gets_400_and_the_proxy_keeps_serving()
    {
        await using var a = await TestBackend.StartAsync("a");
        await using var mesh = await ProxyFixture.StartAsync();
        var port = FreePort.Get();
        await mesh.ApplyAsync(OriginalDst("PassthroughCluster"), EnvoyConfig.HttpListener("outbound", port, "r"), AllTo("PassthroughCluster"));

        (await RawAsync(port, "GET http://127.0.0.1:0/ HTTP/1.1\r\nHost: 127.0.0.1:0\r\n\r\n")).Should().StartWith("HTTP/1.1 400");
        (await RawAsync(port, "GET http://127.0.0.1:70000/ HTTP/1.1\r\nHost: 127.0.0.1:70000\r\n\r\n")).Should().StartWith("HTTP/1.1 4");
        var loop = await RawAsync(port, $"GET http://127.0.0.1:{port}/ HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n");
        loop.Should().StartWith("HTTP/1.1 400").And.Contain("own listener", "passing it through would loop into the proxy");

        using var app = new HttpClient(new SocketsHttpHandler { Proxy = new WebProxy($"http://127.0.0.1:{port}"), UseProxy = true });
        (await app.GetStringAsync($"http://127.0.0.1:{a.Port}/still")).Should().Be("a /still");
    }

    [Fact]
    public async Task Override_header_names_the_destination_when_it_holds_an_address_and_is_ignored_otherwise()
    {
        await using var a = await TestBackend.StartAsync("a");
        await using var b = await TestBackend.StartAsync("b");
        await using var mesh = await ProxyFixture.StartAsync();
        var port = FreePort.Get();
        await mesh.ApplyAsync(OriginalDst("dst", new Cluster.Types.OriginalDstLbConfig { UseHttpHeader = true }), EnvoyConfig.HttpListener("outbound", port, "r"), AllTo("dst"));
        using var app = new HttpClient(new SocketsHttpHandler { Proxy = new WebProxy($"http://127.0.0.1:{port}"), UseProxy = true });

        using var overridden = new HttpRequestMessage(HttpMethod.Get, $"http://127.0.0.1:{a.Port}/h") { Headers = { { "x-envoy-original-dst-host", $"127.0.0.1:{b.Port}" } } };
        (await (await app.SendAsync(overridden)).Content.ReadAsStringAsync()).Should().Be("b /h");
        using var named = new HttpRequestMessage(HttpMethod.Get, $"http://127.0.0.1:{a.Port}/n") { Headers = { { "x-envoy-original-dst-host", $"localhost:{b.Port}" } } };
        (await (await app.SendAsync(named)).Content.ReadAsStringAsync()).Should().Be("a /n", "the header must hold a resolved address; otherwise the request's own destination is used");
        mesh.Proxy.State.Current.Clusters["dst"].OriginalDestinations!.InvalidOverrides.Should().Be(1);
    }

    [Fact]
    public async Task Connect_to_an_original_dst_cluster_tunnels_to_the_requested_target()
    {
        await using var db = TcpBackend.Start("db");
        await using var mesh = await ProxyFixture.StartAsync();
        var port = FreePort.Get();
        await mesh.ApplyAsync(OriginalDst("PassthroughCluster"), EnvoyConfig.HttpListener("outbound", port, "r"), AllTo("PassthroughCluster"));

        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, port);
        var stream = client.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes($"CONNECT 127.0.0.1:{db.Port} HTTP/1.1\r\nHost: 127.0.0.1:{db.Port}\r\n\r\n"));
        var reader = new StreamReader(stream, Encoding.ASCII);
        (await reader.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(5))).Should().Be("HTTP/1.1 200 Connection established");
        (await reader.ReadLineAsync()).Should().Be("");
        (await reader.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(5))).Should().Be("db");
        await stream.WriteAsync("ping\n"u8.ToArray());
        (await reader.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(5))).Should().Be("ping");
    }

    [Fact]
    public async Task A_static_cluster_without_endpoints_answers_503_no_healthy_upstream()
    {
        await using var mesh = await ProxyFixture.StartAsync();
        var port = FreePort.Get();
        await mesh.ApplyAsync(BlackHole(), EnvoyConfig.HttpListener("outbound", port, "r"), AllTo("BlackHoleCluster"));

        var answer = await RawAsync(port, "GET http://unknown.example/ HTTP/1.1\r\nHost: unknown.example\r\n\r\n");
        answer.Should().StartWith("HTTP/1.1 503").And.Contain("\r\nno healthy upstream\r\n");
        mesh.Proxy.Stats.Get("outbound", "response_flags_UH").Should().Be(1);
    }

    [Fact]
    public void Unused_destinations_are_forgotten_after_a_whole_cleanup_interval_unless_requests_are_in_flight()
    {
        using var hosts = new OriginalDestinationHosts(new OriginalDestinationConfig(null, TimeSpan.FromSeconds(5)), new ManualClock());
        var idle = hosts.Find("10.0.0.1:80", 80, null, 0, out _)!;
        var busy = hosts.Find("10.0.0.2", 80, null, 0, out _)!;
        busy.Config.Key.Should().Be("10.0.0.2:80");
        busy.RequestStarted();

        hosts.Sweep();
        hosts.Hosts.Should().HaveCount(2, "both were chosen since the last sweep");
        hosts.Sweep();
        hosts.Hosts.Should().Equal(busy);
        hosts.Find("10.0.0.1:80", 80, null, 0, out _).Should().NotBeSameAs(idle, "a forgotten destination comes back as a new host");
        hosts.Find("[::1]:8080", 80, null, 0, out _)!.Config.Key.Should().Be("[::1]:8080");
        hosts.Find("a b:80", 80, null, 0, out var refusal).Should().BeNull();
        refusal.Should().Contain("a b");
    }

    [Theory]
    [InlineData("lb_policy", "only CLUSTER_PROVIDED")]
    [InlineData("load_assignment", "no load_assignment")]
    [InlineData("http_header_name", "needs use_http_header")]
    public void Original_dst_settings_Envoy_refuses_are_refused_naming_the_field(string wrong, string message)
    {
        var cluster = OriginalDst("dst");
        switch (wrong)
        {
            case "lb_policy": cluster.LbPolicy = Cluster.Types.LbPolicy.RoundRobin; break;
            case "load_assignment": cluster.LoadAssignment = EnvoyConfig.Endpoints("dst", 1); break;
            default: cluster.OriginalDstLbConfig = new Cluster.Types.OriginalDstLbConfig { HttpHeaderName = "x-dst" }; break;
        }
        var compile = () => ClusterCompiler.Compile(cluster, new Dictionary<string, Envoy.Config.Endpoint.V3.ClusterLoadAssignment>());
        compile.Should().Throw<ConfigException>().WithMessage($"*Cluster dst*{wrong}*").WithMessage($"*{message}*");
    }

    [Fact]
    public void Cleanup_interval_and_header_name_are_read()
    {
        var cluster = OriginalDst("dst", new Cluster.Types.OriginalDstLbConfig { UseHttpHeader = true, HttpHeaderName = "X-Dst" });
        cluster.CleanupInterval = Duration.FromTimeSpan(TimeSpan.FromSeconds(30));
        var model = ClusterCompiler.Compile(cluster, new Dictionary<string, Envoy.Config.Endpoint.V3.ClusterLoadAssignment>());
        model.OriginalDestination.Should().Be(new OriginalDestinationConfig("x-dst", TimeSpan.FromSeconds(30)));
        model.Policy.Should().Be(LoadBalancerPolicy.ClusterProvided);
        model.Endpoints.Should().BeEmpty();
    }

    private static async Task<string> RawAsync(int port, string request)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, port);
        var stream = client.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(request.Replace("\r\n\r\n", "\r\nConnection: close\r\n\r\n", StringComparison.Ordinal)));
        return await new StreamReader(stream, Encoding.ASCII).ReadToEndAsync().WaitAsync(TimeSpan.FromSeconds(10));
    }
}
