using FluentAssertions;
using Rigging.ControlPlane.Push;
using Rigging.ControlPlane.Registry;
using Rigging.ControlPlane.Translation;
using Rigging.Xds.Cache;

namespace Rigging.ControlPlane.Tests.Push;

/// <summary>
/// A VirtualService-only change refreshes the touched virtual hosts of sidecars' route tables and keeps everything
/// else: after each kind of change every proxy must hold exactly what a whole translation gives (bytes), and the
/// push's issues must be those a whole translation finds.
/// </summary>
public sealed class RouteOnlyPushTests
{
    [Fact]
    public async Task Weight_edit_refreshes_only_route_tables_and_matches_a_whole_translation()
    {
        await using var harness = await StartAsync(("vs-frontend.yaml", FrontendVs("frontend-v1")));
        var before = harness.Cache.GetSnapshot("reviews-v1-a")!;

        var stats = await harness.WriteAndPushAsync("vs-frontend.yaml", FrontendVs("frontend-v2"));

        stats.RouteGenerations.Should().BeGreaterThan(0);
        stats.FullGenerations.Should().BeLessThanOrEqualTo(2, "only the gateway and proxyless views are translated whole");
        var after = harness.Cache.GetSnapshot("reviews-v1-a")!;
        foreach (var type in new[] { TypeUrls.Cluster, TypeUrls.ClusterLoadAssignment, TypeUrls.Listener })
            after.Get(type).Should().BeSameAs(before.Get(type), $"{TypeUrls.ShortName(type)} does not read VirtualServices");
        after.Version(TypeUrls.RouteConfiguration).Should().NotBe(before.Version(TypeUrls.RouteConfiguration));
        AssertWhole(harness);
    }

    [Fact]
    public async Task Untouched_virtual_hosts_are_the_previous_objects()
    {
        await using var harness = await StartAsync(("vs-frontend.yaml", FrontendVs("frontend-v1")));
        var before = OutboundTable(harness, "reviews-v1-a");

        await harness.WriteAndPushAsync("vs-frontend.yaml", FrontendVs("frontend-v2"));

        var after = OutboundTable(harness, "reviews-v1-a");
        for (var i = 0; i < after.VirtualHosts.Count; i++)
        {
            if (after.VirtualHosts[i].Name.StartsWith("frontend.web.", StringComparison.Ordinal))
                after.VirtualHosts[i].Should().NotBeSameAs(before.VirtualHosts[i]);
            else
                after.VirtualHosts[i].Should().BeSameAs(before.VirtualHosts[i], after.VirtualHosts[i].Name);
        }
    }

    [Fact]
    public async Task Adding_and_deleting_a_VirtualService_for_a_host_that_had_none()
    {
        await using var harness = await StartAsync();
        (await harness.WriteAndPushAsync("vs-frontend.yaml", FrontendVs("frontend-v1"))).RouteGenerations.Should().BeGreaterThan(0);
        AssertWhole(harness);
        File.Delete(Path.Combine(harness.Directory, "vs-frontend.yaml"));
        await harness.Store.ReloadAsync();
        await harness.Pusher.PushAsync(PushRequest.ForConfig(["VirtualService"]));
        harness.Pusher.LastStats!.RouteGenerations.Should().BeGreaterThan(0);
        AssertWhole(harness);
    }

    [Fact]
    public async Task Wildcard_host_VirtualService_touches_every_host_it_covers()
    {
        await using var harness = await StartAsync();
        await harness.WriteAndPushAsync("vs-wild.yaml", """
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {name: a-wild, namespace: shop}
            spec:
              hosts: ["*.shop.svc.cluster.local"]
              http: [{route: [{destination: {host: ratings.shop.svc.cluster.local}}], timeout: 7s}]
            """);
        AssertWhole(harness);
        await harness.WriteAndPushAsync("vs-wild.yaml", """
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {name: a-wild, namespace: shop}
            spec:
              hosts: ["*.shop.svc.cluster.local"]
              http: [{route: [{destination: {host: ratings.shop.svc.cluster.local}}], timeout: 9s}]
            """);
        harness.Pusher.LastStats!.RouteGenerations.Should().BeGreaterThan(0);
        AssertWhole(harness);
    }

    [Fact]
    public async Task Editing_a_delegate_refreshes_its_parent_hosts()
    {
        await using var harness = await StartAsync(
            ("vs-parent.yaml", """
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata: {name: frontend-root, namespace: web}
                spec:
                  hosts: [frontend]
                  http: [{match: [{uri: {prefix: /api}}], delegate: {name: frontend-api, namespace: web}}]
                """),
            ("vs-child.yaml", Delegate("2s")));

        var stats = await harness.WriteAndPushAsync("vs-child.yaml", Delegate("5s"));

        stats.RouteGenerations.Should().BeGreaterThan(0);
        AssertWhole(harness);
        Json(OutboundTable(harness, "reviews-v1-a")).Should().Contain("5s");
    }

    [Fact]
    public async Task ExportTo_change_shows_and_hides_routes()
    {
        await using var harness = await StartAsync(("vs-frontend.yaml", FrontendVs("frontend-v1", exportTo: "[\".\"]")));
        AssertWhole(harness);
        await harness.WriteAndPushAsync("vs-frontend.yaml", FrontendVs("frontend-v1", exportTo: "[\"*\"]"));
        AssertWhole(harness);
        await harness.WriteAndPushAsync("vs-frontend.yaml", FrontendVs("frontend-v1", exportTo: "[\".\"]"));
        AssertWhole(harness);
    }

    [Fact]
    public async Task Route_to_a_missing_subset_answers_503_and_its_issue_goes_when_fixed()
    {
        await using var harness = await StartAsync(("vs-frontend.yaml", FrontendVs("frontend-v1")));
        await harness.WriteAndPushAsync("vs-frontend.yaml", FrontendVs("frontend-v1").Replace("{host: frontend}", "{host: frontend, subset: v9}"));
        harness.Pusher.LastStats!.RouteGenerations.Should().BeGreaterThan(0);
        harness.Pusher.LastContext!.Issues.Values.Should().Contain(v => v.Contains("outbound|8080|v9|frontend.web.svc.cluster.local", StringComparison.Ordinal));
        AssertWhole(harness);

        await harness.WriteAndPushAsync("vs-frontend.yaml", FrontendVs("frontend-v2"));
        harness.Pusher.LastContext!.Issues.Values.Should().NotContain(v => v.Contains("v9", StringComparison.Ordinal));
        AssertWhole(harness);
    }

    [Fact]
    public async Task VirtualService_with_another_kind_in_one_push_translates_whole()
    {
        await using var harness = await StartAsync(("vs-frontend.yaml", FrontendVs("frontend-v1")));
        await File.WriteAllTextAsync(Path.Combine(harness.Directory, "vs-frontend.yaml"), FrontendVs("frontend-v2"));
        var stats = await harness.WriteAndPushAsync("dr-frontend.yaml", """
            apiVersion: networking.istio.io/v1
            kind: DestinationRule
            metadata: {name: frontend, namespace: web}
            spec:
              host: frontend
              subsets: [{name: v1, labels: {version: v1}}]
            """);

        stats.RouteGenerations.Should().Be(0);
        stats.FullGenerations.Should().Be(stats.Views);
        AssertWhole(harness);
    }

    [Fact]
    public async Task Request_naming_only_VirtualServices_when_another_kind_changed_translates_whole()
    {
        await using var harness = await StartAsync();
        await File.WriteAllTextAsync(Path.Combine(harness.Directory, "dr-frontend.yaml"), """
            apiVersion: networking.istio.io/v1
            kind: DestinationRule
            metadata: {name: frontend, namespace: web}
            spec:
              host: frontend
              subsets: [{name: v1, labels: {version: v1}}]
            """);
        await harness.Store.ReloadAsync();

        // A request that under-reports what changed: the resource diff still sees the DestinationRule.
        await harness.Pusher.PushAsync(PushRequest.ForConfig(["VirtualService"]));

        harness.Pusher.LastStats!.RouteGenerations.Should().Be(0);
        AssertWhole(harness);
    }

    private static async Task<PushHarness> StartAsync(params (string File, string Text)[] files)
    {
        var harness = await PushHarness.StartAsync([("mesh.yaml", PushMesh.Config), .. files]);
        foreach (var node in PushMesh.Nodes()) harness.Registry.StreamOpened(node);
        await harness.Pusher.PushAsync(PushRequest.ForConfig(["Service"]));
        return harness;
    }

    /// <summary>Every proxy holds its own whole translation, and the push's issues are the ones translating every view finds.</summary>
    private static void AssertWhole(PushHarness harness)
    {
        harness.AssertEachProxyHoldsItsOwnGeneration(PushMesh.Nodes());
        var push = harness.Pusher.BuildContext();
        foreach (var node in PushMesh.Nodes()) ProxyGenerator.Generate(XdsPusher.Classify(NodeMetadata.ToProxyView(node), push), push);
        harness.Pusher.LastContext!.Issues.Should().BeEquivalentTo(push.Issues);
    }

    private static Envoy.Config.Route.V3.RouteConfiguration OutboundTable(PushHarness harness, string node) =>
        (Envoy.Config.Route.V3.RouteConfiguration)harness.Cache.GetSnapshot(node)!.Get(TypeUrls.RouteConfiguration).Resources["15001"].Message;

    private static string Json(Google.Protobuf.IMessage message) => Google.Protobuf.JsonFormatter.Default.Format(message);

    private static string FrontendVs(string header, string exportTo = "[\"*\"]") => $$$"""
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata: {name: frontend, namespace: web}
        spec:
          hosts: [frontend]
          exportTo: {{{exportTo}}}
          http:
          - headers:
              request:
                set: {x-version: {{{header}}}}
            route: [{destination: {host: frontend}}]
        """;

    private static string Delegate(string timeout) => $$$"""
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata: {name: frontend-api, namespace: web}
        spec:
          http: [{route: [{destination: {host: frontend.web.svc.cluster.local}}], timeout: {{{timeout}}}}]
        """;
}
