using System.Collections.Concurrent;
using FluentAssertions;
using Rigging.Xds.Client;

namespace Rigging.ControlPlane.Tests.Host;

/// <summary>A proxy's ADS stream registers its workload as an endpoint of the services that select it.</summary>
public sealed class SelfRegistrationTests
{
    private const string ReviewsCluster = "outbound|9080||reviews.default.svc.cluster.local";

    [Fact]
    public async Task Connected_proxy_becomes_an_endpoint_of_selecting_service_and_leaves_after_the_grace_period()
    {
        await using var mesh = await TestMesh.StartAsync(TimeSpan.FromSeconds(1), ("reviews.yaml", TestMesh.ReviewsService));
        var productpage = new ConcurrentDictionary<string, AdsUpdate>();
        mesh.Connect("productpage-1", "productpage", new Dictionary<string, string> { ["app"] = "productpage" }, "127.0.0.2", 15006, productpage, null, ReviewsCluster);

        var reviews = mesh.Connect("reviews-1", "reviews", new Dictionary<string, string> { ["app"] = "reviews", ["version"] = "v1" }, "127.0.0.7", 15106);

        (await TestMesh.EventuallyAsync(() => TestMesh.Endpoints(productpage, ReviewsCluster).Contains("127.0.0.7:15106")))
            .Should().BeTrue("the reviews proxy announced app=reviews at 127.0.0.7 with inbound port 15106");
        TestMesh.Endpoints(productpage, ReviewsCluster).Should().ContainSingle("the productpage proxy is not selected by reviews");

        await mesh.DisconnectAsync(reviews);
        await Task.Delay(300);
        TestMesh.Endpoints(productpage, ReviewsCluster).Should().Contain("127.0.0.7:15106", "the instance stays during the grace period");
        (await TestMesh.EventuallyAsync(() => !TestMesh.Endpoints(productpage, ReviewsCluster).Any()))
            .Should().BeTrue("the instance is removed once its stream has been gone for the grace period");
    }

    [Fact]
    public async Task Proxyless_grpc_client_is_not_registered_as_an_instance()
    {
        await using var mesh = await TestMesh.StartAsync(null, ("reviews.yaml", TestMesh.ReviewsService));
        var node = Rigging.Proxy.NodeIdentity.Create(new Rigging.Proxy.ProxyOptions
        {
            Xds = mesh.Host.XdsAddress, NodeId = "grpc-1", Workload = "reviews",
            Labels = new Dictionary<string, string> { ["app"] = "reviews" },
        });
        node.Metadata.Fields["GENERATOR"] = Google.Protobuf.WellKnownTypes.Value.ForString("grpc");
        var listeners = new ConcurrentBag<string>();
        await using var client = new AdsClient(new AdsClientOptions
        {
            Address = mesh.Host.XdsAddress,
            Node = node,
            Subscriptions = new Dictionary<string, IReadOnlyList<string>> { [Rigging.Xds.Cache.TypeUrls.Listener] = ["reviews.default.svc.cluster.local:9080"] },
            Apply = u =>
            {
                foreach (var l in u.Unpack<Envoy.Config.Listener.V3.Listener>()) listeners.Add(l.Name);
                return ApplyResult.Accept();
            },
        });
        client.Start();

        (await TestMesh.EventuallyAsync(() => listeners.Contains("reviews.default.svc.cluster.local:9080"))).Should().BeTrue("proxyless clients get API listeners named host:port");
        mesh.Host.Registry.Proxies["grpc-1"].View.Kind.Should().Be(Model.ProxyKind.ProxylessGrpc);
        mesh.Host.Registry.Instances.Should().BeEmpty();
    }
}
