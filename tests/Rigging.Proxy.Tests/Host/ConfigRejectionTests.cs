using System.Net;
using System.Net.Sockets;
using Envoy.Config.Listener.V3;
using FluentAssertions;
using Google.Protobuf.WellKnownTypes;
using Rigging.Proxy.Tests.Admin;
using Rigging.Proxy.Tests.Infrastructure;
using Rigging.Xds.Cache;

namespace Rigging.Proxy.Tests.Host;

/// <summary>
/// A listener the proxy cannot apply is NACKed with a reason naming the resource and what is wrong; the xDS
/// server's node status shows it, and the last good listener keeps serving.
/// </summary>
public sealed class ConfigRejectionTests
{
    private static readonly HttpClient Client = new(new SocketsHttpHandler { UseProxy = false, PooledConnectionLifetime = TimeSpan.Zero });

    [Fact]
    public async Task Listener_on_a_port_in_use_is_nacked_with_the_reason_in_server_status_and_the_old_listener_keeps_serving()
    {
        await using var backend = await TestBackend.StartAsync("v1");
        await using var mesh = await ProxyFixture.StartAsync();
        var port = FreePort.Get();
        await mesh.ApplyAsync(AdminEndpointTests.Mesh(backend.Port, port));
        using var squatter = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        squatter.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        squatter.Listen();
        var taken = ((IPEndPoint)squatter.LocalEndPoint!).Port;

        var bad = Snapshot.Create([.. AdminEndpointTests.Mesh(backend.Port, port), EnvoyConfig.HttpListener("second", taken, "r")]);
        mesh.Cache.SetSnapshot(ProxyFixture.NodeId, bad);
        var status = await WaitForNackAsync(mesh, bad.Version(TypeUrls.Listener));

        status.NackError.Should().Contain("Listener second").And.Contain($"127.0.0.1:{taken}");
        mesh.Proxy.State.LastRejection!.Reason.Should().Be(status.NackError);
        mesh.Proxy.Listeners.Active.Keys.Should().Equal("outbound");
        (await Client.GetStringAsync($"http://127.0.0.1:{port}/api")).Should().Be("v1 /api");
    }

    [Fact]
    public async Task Unsupported_network_filter_is_nacked_naming_the_listener_chain_and_filter_and_the_old_listener_keeps_serving()
    {
        await using var backend = await TestBackend.StartAsync("v1");
        await using var mesh = await ProxyFixture.StartAsync();
        var port = FreePort.Get();
        await mesh.ApplyAsync(AdminEndpointTests.Mesh(backend.Port, port));
        var redis = new Listener
        {
            Name = "redis",
            Address = EnvoyConfig.Socket("127.0.0.1", FreePort.Get()),
            FilterChains = { new FilterChain { Filters = { new Filter { Name = "envoy.filters.network.redis_proxy", TypedConfig = Any.Pack(new Empty()) } } } },
        };

        var bad = Snapshot.Create([.. AdminEndpointTests.Mesh(backend.Port, port), redis]);
        mesh.Cache.SetSnapshot(ProxyFixture.NodeId, bad);
        var status = await WaitForNackAsync(mesh, bad.Version(TypeUrls.Listener));

        status.NackError.Should().Contain("Listener redis").And.Contain("filter_chains[0]").And.Contain("envoy.filters.network.redis_proxy");
        mesh.Proxy.Ads.AcceptedVersions[TypeUrls.Listener].Should().NotBe(bad.Version(TypeUrls.Listener));
        (await Client.GetStringAsync($"http://127.0.0.1:{port}/api")).Should().Be("v1 /api");
    }

    private static async Task<TypeStatus> WaitForNackAsync(ProxyFixture mesh, string version)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(10))
        {
            if (mesh.Cache.GetStatus(ProxyFixture.NodeId)?.For(TypeUrls.Listener) is { NackError: not null } status && status.NackedVersion == version) return status;
            await Task.Delay(20);
        }
        throw new TimeoutException($"no NACK of listeners version {version}");
    }
}
