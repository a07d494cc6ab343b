using Envoy.Config.Cluster.V3;
using Envoy.Service.Discovery.V3;
using FluentAssertions;
using Rigging.Xds.Cache;
using Rigging.Xds.Grpc;
using Rigging.Xds.Rpc;
using Rigging.Xds.Server;
using Rigging.Xds.Tests.Infrastructure;
using Xunit;
using static Rigging.Xds.Tests.Infrastructure.AdsTestServer;

namespace Rigging.Xds.Tests.Server;

/// <summary>State-of-the-world ADS: subscriptions, nonces, ACK/NACK, ordering, wake-ups, bad requests.</summary>
public sealed class SotwProtocolTests : IAsyncLifetime
{
    private AdsTestServer _ads = null!;

    public async Task InitializeAsync() => _ads = await AdsTestServer.StartAsync();

    public async Task DisposeAsync() => await _ads.DisposeAsync();

    [Fact]
    public async Task Empty_first_cluster_request_is_a_wildcard_and_gets_every_cluster()
    {
        _ads.Cache.SetSnapshot("node-1", Mesh());
        await using var stream = _ads.Sotw();

        await stream.SendAsync(Request(TypeUrls.Cluster));
        var response = await stream.NextAsync();

        response.TypeUrl.Should().Be(TypeUrls.Cluster);
        response.Resources.Select(r => r.Unpack<Cluster>().Name).Should().BeEquivalentTo(["a", "b"]);
        response.VersionInfo.Should().Be(Mesh().Version(TypeUrls.Cluster));
    }

    [Fact]
    public async Task Named_request_gets_only_the_named_resources()
    {
        _ads.Cache.SetSnapshot("node-1", Mesh());
        await using var stream = _ads.Sotw();

        await stream.SendAsync(Request(TypeUrls.ClusterLoadAssignment, "b"));
        var response = await stream.NextAsync();

        response.Resources.Should().ContainSingle();
        response.Resources[0].Unpack<Envoy.Config.Endpoint.V3.ClusterLoadAssignment>().ClusterName.Should().Be("b");
    }

    [Fact]
    public async Task Ack_is_recorded_and_nothing_is_resent()
    {
        _ads.Cache.SetSnapshot("node-1", Mesh());
        await using var stream = _ads.Sotw();
        await stream.SendAsync(Request(TypeUrls.Cluster));
        var response = await stream.NextAsync();

        await stream.SendAsync(Ack(response));

        (await stream.NothingWithinAsync(0.3)).Should().BeTrue();
        var status = _ads.Cache.GetStatus("node-1")!.For(TypeUrls.Cluster)!;
        status.AckedVersion.Should().Be(response.VersionInfo);
        status.SentNonce.Should().Be(response.Nonce);
        _ads.Cache.GetStatus("node-1")!.ConnectedStreams.Should().Be(1);
    }

    [Fact]
    public async Task Nack_records_the_error_and_keeps_the_client_on_its_acked_version()
    {
        _ads.Cache.SetSnapshot("node-1", Mesh());
        await using var stream = _ads.Sotw();
        await stream.SendAsync(Request(TypeUrls.Cluster));
        var first = await stream.NextAsync();
        await stream.SendAsync(Ack(first));
        await WaitUntilAsync(() => _ads.Cache.GetStatus("node-1")!.For(TypeUrls.Cluster)!.AckedVersion == first.VersionInfo);
        var changed = Snapshot.Create(Mesh().Get(TypeUrls.Cluster).Resources.Values.Select(r => r.Message)
            .Append(XdsResources.EdsCluster("c")).Append(XdsResources.Endpoints("c", 4000))
            .Concat(Mesh().Get(TypeUrls.ClusterLoadAssignment).Resources.Values.Select(r => r.Message)));
        _ads.Cache.SetSnapshot("node-1", changed);
        var second = await stream.NextAsync();

        var nack = Ack(second);
        nack.VersionInfo = first.VersionInfo;
        nack.ErrorDetail = new Status { Code = 3, Message = "cluster c: unsupported" };
        await stream.SendAsync(nack);

        (await stream.NothingWithinAsync(0.3)).Should().BeTrue("a NACK is not answered by resending the same version");
        var status = _ads.Cache.GetStatus("node-1")!.For(TypeUrls.Cluster)!;
        status.NackError.Should().Be("cluster c: unsupported");
        status.NackedVersion.Should().Be(second.VersionInfo);
        status.AckedVersion.Should().Be(first.VersionInfo);
        _ads.Cache.GetStatus("node-1")!.Nacks.Should().Be(1, "every NACK is counted");
    }

    private static DiscoveryResponse WithoutNonce(DiscoveryResponse response)
    {
        var copy = response.Clone();
        copy.Nonce = "";
        return copy;
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        for (int i = 0; i < 200 && !condition(); i++)
        {
            await Task.Delay(10);
        }

        condition().Should().BeTrue();
    }

    [Fact]
    public async Task Stale_nonce_is_ignored()
    {
        _ads.Cache.SetSnapshot("node-1", Mesh());
        await using var stream = _ads.Sotw();
        await stream.SendAsync(Request(TypeUrls.Cluster));
        var response = await stream.NextAsync();

        var stale = Request(TypeUrls.Cluster, "a");
        stale.ResponseNonce = "not-the-latest";
        stale.ErrorDetail = new Status { Code = 3, Message = "old news" };
        await stream.SendAsync(stale);

        (await stream.NothingWithinAsync(0.3)).Should().BeTrue();
        _ads.Cache.GetStatus("node-1")!.For(TypeUrls.Cluster)!.NackError.Should().BeNull();
        response.Resources.Should().HaveCount(2);
    }

    [Fact]
    public async Task First_snapshot_is_sent_clusters_and_endpoints_before_listeners_and_routes()
    {
        await using var stream = _ads.Sotw();
        await stream.SendAsync(Request(TypeUrls.RouteConfiguration, "r"));
        await stream.SendAsync(Request(TypeUrls.Listener));
        await stream.SendAsync(Request(TypeUrls.ClusterLoadAssignment, "a", "b"));
        await stream.SendAsync(Request(TypeUrls.Cluster));
        await Task.Delay(200);

        _ads.Cache.SetSnapshot("node-1", Mesh());
        var order = new List<string>();
        for (int i = 0; i < 4; i++)
        {
            order.Add((await stream.NextAsync()).TypeUrl);
        }

        order.Should().Equal(TypeUrls.Cluster, TypeUrls.ClusterLoadAssignment, TypeUrls.Listener, TypeUrls.RouteConfiguration);
    }

    [Fact]
    public async Task Changing_one_endpoint_sends_only_that_endpoint_update()
    {
        _ads.Cache.SetSnapshot("node-1", Mesh());
        await using var stream = _ads.Sotw();
        foreach (var (type, names) in new[] { (TypeUrls.Cluster, Array.Empty<string>()), (TypeUrls.ClusterLoadAssignment, ["a", "b"]), (TypeUrls.Listener, []), (TypeUrls.RouteConfiguration, ["r"]) })
        {
            await stream.SendAsync(Request(type, names));
            await stream.SendAsync(Ack(await stream.NextAsync(), names));
        }

        var result = _ads.Cache.SetSnapshot("node-1", Mesh(portB: 2999));
        var update = await stream.NextAsync();

        result.ChangedTypes.Should().BeEquivalentTo([TypeUrls.ClusterLoadAssignment]);
        update.TypeUrl.Should().Be(TypeUrls.ClusterLoadAssignment);
        (await stream.NothingWithinAsync(0.3)).Should().BeTrue();
    }

    [Fact]
    public async Task Removed_cluster_stays_until_the_routes_that_used_it_are_acked()
    {
        _ads.Cache.SetSnapshot("node-1", Mesh());
        await using var stream = _ads.Sotw();
        foreach (var (type, names) in new[] { (TypeUrls.Cluster, Array.Empty<string>()), (TypeUrls.ClusterLoadAssignment, ["a", "b", "c"]), (TypeUrls.Listener, []), (TypeUrls.RouteConfiguration, ["r"]) })
        {
            await stream.SendAsync(Request(type, names));
            await stream.SendAsync(Ack(await stream.NextAsync(), names));
        }

        await Task.Delay(100);
        _ads.Cache.SetSnapshot("node-1", Snapshot.Create(
            XdsResources.ApiListener("l", "r"),
            XdsResources.Routes("r", XdsResources.Weighted("a-and-c", ("a", 50), ("c", 50))),
            XdsResources.EdsCluster("a"),
            XdsResources.EdsCluster("c"),
            XdsResources.Endpoints("a", 2001),
            XdsResources.Endpoints("c", 2003)));
        var make = await stream.NextAsync();
        var endpoints = await stream.NextAsync();
        var routes = await stream.NextAsync();
        await stream.SendAsync(Ack(make));
        await stream.SendAsync(Ack(endpoints, "a", "b", "c"));
        await stream.SendAsync(Ack(routes, "r"));
        var @break = await stream.NextAsync();

        make.TypeUrl.Should().Be(TypeUrls.Cluster);
        make.Resources.Select(r => r.Unpack<Cluster>().Name).Should().Equal(["a", "b", "c"], "b goes only after the routes stop using it");
        endpoints.TypeUrl.Should().Be(TypeUrls.ClusterLoadAssignment);
        routes.TypeUrl.Should().Be(TypeUrls.RouteConfiguration);
        @break.TypeUrl.Should().Be(TypeUrls.Cluster);
        @break.Resources.Select(r => r.Unpack<Cluster>().Name).Should().Equal("a", "c");
    }

    [Fact]
    public async Task Nodes_sharing_a_snapshot_get_the_same_prepared_responses_with_their_own_nonces_then_updates()
    {
        var shared = Mesh();
        _ads.Cache.SetSnapshot("node-1", shared);
        _ads.Cache.SetSnapshot("node-2", shared);
        await using var one = _ads.Sotw();
        await using var two = _ads.Sotw();
        var request = Request(TypeUrls.ClusterLoadAssignment, "b");
        await one.SendAsync(Request(TypeUrls.Cluster));
        await one.NextAsync();
        await one.SendAsync(request);
        request.Node.Id = "node-2";
        await two.SendAsync(request);

        var first = await one.NextAsync();
        var second = await two.NextAsync();
        await one.SendAsync(Ack(first, "b"));
        await two.SendAsync(Ack(second, "b"));
        await WaitUntilAsync(() => _ads.Cache.GetStatus("node-2")!.For(TypeUrls.ClusterLoadAssignment)!.AckedVersion == second.VersionInfo);
        var next = Mesh(portB: 2999);
        _ads.Cache.SetSnapshot("node-1", next);
        _ads.Cache.SetSnapshot("node-2", next);
        var update = await two.NextAsync();

        first.Nonce.Should().Be("2", "stream one's endpoint response is its second");
        second.Nonce.Should().Be("1", "stream two's is its first");
        WithoutNonce(second).Should().Be(WithoutNonce(first));
        second.Resources.Should().ContainSingle("a stream that names b gets only b");
        update.TypeUrl.Should().Be(TypeUrls.ClusterLoadAssignment);
        update.VersionInfo.Should().Be(ResourceSet.VersionOf([next.Get(TypeUrls.ClusterLoadAssignment).Resources["b"]]));
        update.Resources.Single().Unpack<Envoy.Config.Endpoint.V3.ClusterLoadAssignment>().Endpoints[0].LbEndpoints[0]
            .Endpoint.Address.SocketAddress.PortValue.Should().Be(2999);
        (await two.NothingWithinAsync(0.3)).Should().BeTrue("an ACK round sends nothing");
    }

    [Fact]
    public async Task Snapshot_for_another_node_wakes_nobody_here()
    {
        _ads.Cache.SetSnapshot("node-1", Mesh());
        await using var stream = _ads.Sotw();
        await stream.SendAsync(Request(TypeUrls.Cluster));
        await stream.SendAsync(Ack(await stream.NextAsync()));

        _ads.Cache.SetSnapshot("node-2", Mesh(portB: 1));

        (await stream.NothingWithinAsync(0.3)).Should().BeTrue();
    }

    [Fact]
    public async Task Unknown_type_url_ends_that_stream_with_invalid_argument_and_others_keep_working()
    {
        _ads.Cache.SetSnapshot("node-1", Mesh());
        await using var healthy = _ads.Sotw();
        await using var bad = _ads.Sotw();

        await bad.SendAsync(Request("type.googleapis.com/envoy.config.nothing.v3.Nothing"));
        await healthy.SendAsync(Request(TypeUrls.Cluster));

        var status = await bad.EndAsync();
        status.Code.Should().Be(GrpcStatusCode.InvalidArgument);
        status.Message.Should().Contain("Unknown type URL");
        (await healthy.NextAsync()).Resources.Should().HaveCount(2);
    }

    [Fact]
    public async Task First_request_without_node_is_invalid_argument()
    {
        await using var stream = _ads.Sotw();

        await stream.SendAsync(new DiscoveryRequest { TypeUrl = TypeUrls.Cluster });

        (await stream.EndAsync()).Code.Should().Be(GrpcStatusCode.InvalidArgument);
    }

    [Fact]
    public async Task Per_type_cluster_service_serves_requests_without_a_type_url()
    {
        _ads.Cache.SetSnapshot("node-1", Mesh());
        var (_, service, sotw, _) = DiscoveryMethods.PerTypeServices.Single(s => s.TypeUrl == TypeUrls.Cluster);
        await using var stream = new XdsStream<DiscoveryRequest, DiscoveryResponse>(_ads.Channel, DiscoveryMethods.Sotw(service, sotw));

        await stream.SendAsync(new DiscoveryRequest { Node = new Envoy.Config.Core.V3.Node { Id = "node-1" } });
        var response = await stream.NextAsync();

        response.TypeUrl.Should().Be(TypeUrls.Cluster);
        response.Resources.Should().HaveCount(2);
    }
}
