using FluentAssertions;
using Rigging.ControlPlane.Model;
using Rigging.ControlPlane.Push;
using Rigging.ControlPlane.Registry;
using Rigging.ControlPlane.Translation;
using Rigging.Xds.Cache;

namespace Rigging.ControlPlane.Tests.Push;

/// <summary>Proxies with equal views share one generation and one snapshot, and get exactly what their own generation gives.</summary>
public sealed class ViewSharingTests
{
    [Fact]
    public async Task Shared_generation_gives_every_proxy_the_bytes_of_its_own_generation()
    {
        await using var harness = await PushHarness.StartAsync(("mesh.yaml", PushMesh.Config));
        var nodes = PushMesh.Nodes().ToList();
        foreach (var node in nodes) harness.Registry.StreamOpened(node);

        await harness.Pusher.PushAsync(PushRequest.ForConfig(["Service"]));

        var stats = harness.Pusher.LastStats!;
        stats.Proxies.Should().Be(nodes.Count);
        stats.Views.Should().Be(nodes.Count - 4, "four pairs differ only in node id, address and workload name");
        stats.FullGenerations.Should().Be(stats.Views);
        foreach (var (a, b) in new[] { ("reviews-v1-a", "reviews-v1-b"), ("frontend-a", "frontend-b"), ("ingress-a", "ingress-b"), ("grpc-a", "grpc-b") })
            harness.Cache.GetSnapshot(a).Should().BeSameAs(harness.Cache.GetSnapshot(b), $"{a} and {b} have one view");
        harness.Cache.GetSnapshot("reviews-v1-a").Should().NotBeSameAs(harness.Cache.GetSnapshot("reviews-v1-other-sa"));

        AssertEachProxyGetsItsOwnGeneration(harness, nodes);
        Bytes(harness.Cache.GetSnapshot("frontend-canary")!, TypeUrls.RouteConfiguration)
            .Should().NotEqual(Bytes(harness.Cache.GetSnapshot("frontend-a")!, TypeUrls.RouteConfiguration), "the canary's Sidecar narrows what it sees");
    }

    [Fact]
    public async Task New_endpoint_with_a_known_identity_rebuilds_only_endpoints_and_only_for_proxies_that_see_it()
    {
        await using var harness = await PushHarness.StartAsync(("mesh.yaml", PushMesh.Config));
        var nodes = PushMesh.Nodes().ToList();
        foreach (var node in nodes) harness.Registry.StreamOpened(node);
        await harness.Pusher.PushAsync(PushRequest.ForConfig(["Service"]));
        var before = nodes.ToDictionary(n => n.Id, n => harness.Cache.GetSnapshot(n.Id)!);

        // Like reviews-v3-vm (same namespace, account, labels, no sidecar): only an address is new.
        var stats = await harness.WriteAndPushAsync("vm.yaml", PushMesh.WorkloadEntry("reviews-v3-vm2", "10.9.0.9", "v3", "reviews"));

        stats.Request.Should().StartWith("endpoints");
        stats.FullGenerations.Should().Be(0);
        stats.EndpointGenerations.Should().BeGreaterThan(0);
        var after = harness.Cache.GetSnapshot("reviews-v1-a")!;
        foreach (var type in new[] { TypeUrls.Cluster, TypeUrls.Listener, TypeUrls.RouteConfiguration })
            after.Get(type).Should().BeSameAs(before["reviews-v1-a"].Get(type), $"{TypeUrls.ShortName(type)} is reused with its serialized bytes");
        after.Version(TypeUrls.ClusterLoadAssignment).Should().NotBe(before["reviews-v1-a"].Version(TypeUrls.ClusterLoadAssignment));
        Endpoints(after, "outbound|9080|v3|reviews.shop.svc.cluster.local").Should().Contain("10.9.0.9:9080");
        // Only reviews' assignments are rebuilt; every other service's keeps its object and serialized bytes.
        var untouched = before["reviews-v1-a"].Get(TypeUrls.ClusterLoadAssignment).Resources.Where(r => !r.Key.Contains("|reviews.", StringComparison.Ordinal)).ToList();
        untouched.Should().NotBeEmpty();
        foreach (var (name, resource) in untouched)
            after.Get(TypeUrls.ClusterLoadAssignment).Resources[name].Should().BeSameAs(resource, $"{name} did not change");
        harness.Cache.GetSnapshot("frontend-canary").Should().BeSameAs(before["frontend-canary"], "its Sidecar hides shop's services");
        AssertEachProxyGetsItsOwnGeneration(harness, nodes);
    }

    [Fact]
    public async Task New_endpoint_with_a_new_identity_rebuilds_clusters_too()
    {
        await using var harness = await PushHarness.StartAsync(("mesh.yaml", PushMesh.Config));
        var nodes = PushMesh.Nodes().ToList();
        foreach (var node in nodes) harness.Registry.StreamOpened(node);
        await harness.Pusher.PushAsync(PushRequest.ForConfig(["Service"]));

        var stats = await harness.WriteAndPushAsync("vm.yaml", PushMesh.WorkloadEntry("reviews-v1-vm", "10.9.0.9", "v1", "reviews-legacy"));

        stats.Request.Should().StartWith("endpoints");
        stats.FullGenerations.Should().BeGreaterThan(0, "a new service account may change SANs and auto mTLS, which live in clusters");
        AssertEachProxyGetsItsOwnGeneration(harness, nodes);
    }

    [Fact]
    public async Task Proxy_joining_a_known_view_gets_its_snapshot_without_a_generation()
    {
        await using var harness = await PushHarness.StartAsync(("mesh.yaml", PushMesh.Config));
        var nodes = PushMesh.Nodes().ToList();
        foreach (var node in nodes) harness.Registry.StreamOpened(node);
        await harness.Pusher.PushAsync(PushRequest.ForConfig(["Service"]));

        var joining = PushHarness.Node("reviews-v1-c", "shop", new Dictionary<string, string> { ["app"] = "reviews", ["version"] = "v1" }, "reviews", "10.1.0.9", 15006, 9080);
        harness.Registry.StreamOpened(joining);
        await harness.Pusher.PushAsync(PushRequest.ForProxy("reviews-v1-c").Merge(PushRequest.ForEndpoints()));

        // Its own instance changed reviews' endpoints: endpoint-only work, and the group's one snapshot.
        harness.Pusher.LastStats!.FullGenerations.Should().Be(0);
        harness.Cache.GetSnapshot("reviews-v1-c").Should().BeSameAs(harness.Cache.GetSnapshot("reviews-v1-a"));
        Endpoints(harness.Cache.GetSnapshot("frontend-a")!, "outbound|9080||reviews.shop.svc.cluster.local").Should().Contain("10.1.0.9:15006");
        AssertEachProxyGetsItsOwnGeneration(harness, [.. nodes, joining]);
    }

    [Fact]
    public void View_key_names_every_ProxyView_property()
    {
        var properties = typeof(ProxyView).GetProperties().Select(p => p.Name).ToHashSet();
        properties.Should().BeEquivalentTo(ProxyViewKey.Included.Concat(ProxyViewKey.Excluded),
            "a new ProxyView field must be added to the view key (or proved unused by translation and excluded)");
        ProxyViewKey.Of(View(15001)).Should().NotBe(ProxyViewKey.Of(View(15002)));
        ProxyViewKey.Of(View(15001) with { Labels = View(15001).Labels.Add("a|b", "c") })
            .Should().NotBe(ProxyViewKey.Of(View(15001) with { Labels = View(15001).Labels.Add("a", "b|c") }));
    }

    [Fact]
    public void Instance_signatures_place_every_WorkloadInstance_property()
    {
        var properties = typeof(WorkloadInstance).GetProperties().Select(p => p.Name).ToHashSet();
        properties.Should().BeEquivalentTo(InstanceSignatures.EndpointOnlyFields.Union(InstanceSignatures.ClusterFields),
            "a new WorkloadInstance field must be placed: read by endpoints only, or possibly by clusters");
    }

    private static ProxyView View(int outbound) => new() { NodeId = "n", Kind = ProxyKind.Sidecar, Namespace = "shop", OutboundPort = outbound };

    private static void AssertEachProxyGetsItsOwnGeneration(PushHarness harness, IEnumerable<Envoy.Config.Core.V3.Node> nodes) =>
        harness.AssertEachProxyHoldsItsOwnGeneration(nodes);

    private static List<KeyValuePair<string, string>> Bytes(Snapshot snapshot, string type) => PushHarness.Bytes(snapshot, type);

    private static IEnumerable<string> Endpoints(Snapshot snapshot, string cluster) =>
        snapshot.Get(TypeUrls.ClusterLoadAssignment).Resources.TryGetValue(cluster, out var resource)
            ? ((Envoy.Config.Endpoint.V3.ClusterLoadAssignment)resource.Message).Endpoints.SelectMany(l => l.LbEndpoints)
                .Select(e => $"{e.Endpoint.Address.SocketAddress.Address}:{e.Endpoint.Address.SocketAddress.PortValue}")
            : [];
}
