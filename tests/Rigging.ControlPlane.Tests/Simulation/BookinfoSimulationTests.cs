using FluentAssertions;

namespace Rigging.ControlPlane.Tests.Simulation;

/// <summary>Every bookinfo routing sample, simulated from productpage's proxy through the proxy's own matcher.</summary>
public sealed class BookinfoSimulationTests
{
    private const string App = "samples/bookinfo/platform/kube/bookinfo.yaml";
    private const string Rules = "samples/bookinfo/networking/destination-rule-all.yaml";
    private const string Reviews = "http://reviews:9080/reviews/0";
    private const string Host = "reviews.default.svc.cluster.local";

    private static MeshSimulation Mesh(string virtualService) =>
        MeshSimulation.Load(App, Rules, "samples/bookinfo/networking/" + virtualService);

    [Fact]
    public void Without_a_virtual_service_reviews_goes_to_the_whole_service()
    {
        var landing = MeshSimulation.Load(App, Rules).Send("productpage-v1", Reviews);

        landing.VirtualHost.Should().Be($"{Host}:9080");
        landing.Cluster.Should().Be($"outbound|9080||{Host}");
    }

    [Fact]
    public void All_v1_sends_reviews_to_subset_v1() =>
        Mesh("virtual-service-all-v1.yaml").Send("productpage-v1", Reviews).Cluster.Should().Be($"outbound|9080|v1|{Host}");

    [Fact]
    public void Jason_goes_to_v2_and_everyone_else_to_v3()
    {
        var mesh = Mesh("virtual-service-reviews-jason-v2-v3.yaml");

        mesh.Send("productpage-v1", Reviews, new Dictionary<string, string> { ["end-user"] = "jason" }).Cluster.Should().Be($"outbound|9080|v2|{Host}");
        mesh.Send("productpage-v1", Reviews, new Dictionary<string, string> { ["end-user"] = "kim" }).Cluster.Should().Be($"outbound|9080|v3|{Host}");
        mesh.Send("productpage-v1", Reviews).Cluster.Should().Be($"outbound|9080|v3|{Host}");
    }

    [Theory]
    [InlineData("virtual-service-reviews-80-20.yaml", "v1", 80u, "v2", 20u)]
    [InlineData("virtual-service-reviews-90-10.yaml", "v1", 90u, "v2", 10u)]
    [InlineData("virtual-service-reviews-50-v3.yaml", "v1", 50u, "v3", 50u)]
    [InlineData("virtual-service-reviews-v2-v3.yaml", "v2", 50u, "v3", 50u)]
    public void Weighted_samples_split_as_written(string file, string a, uint wa, string b, uint wb) =>
        Mesh(file).Send("productpage-v1", Reviews).Split.Should().BeEquivalentTo(
            new[] { ($"outbound|9080|{a}|{Host}", wa), ($"outbound|9080|{b}|{Host}", wb) });

    [Fact]
    public void Reviews_v3_sends_everything_to_v3() =>
        Mesh("virtual-service-reviews-v3.yaml").Send("productpage-v1", Reviews).Cluster.Should().Be($"outbound|9080|v3|{Host}");

    [Fact]
    public void Ratings_abort_for_jason_carries_the_fault_config()
    {
        var mesh = Mesh("virtual-service-ratings-test-abort.yaml");

        var jason = mesh.Send("reviews-v2", "http://ratings:9080/ratings/0", new Dictionary<string, string> { ["end-user"] = "jason" });
        jason.Cluster.Should().Be("outbound|9080|v1|ratings.default.svc.cluster.local");
        jason.Route!.FilterConfigs.Should().ContainKey("envoy.filters.http.fault");
        var other = mesh.Send("reviews-v2", "http://ratings:9080/ratings/0");
        other.Route!.FilterConfigs.Should().NotContainKey("envoy.filters.http.fault");
    }

    [Fact]
    public void Every_generated_snapshot_is_consistent()
    {
        foreach (var file in Directory.EnumerateFiles(Paths.Istio("samples/bookinfo/networking"), "virtual-service-*.yaml"))
        {
            var mesh = MeshSimulation.Load(App, Rules, Path.GetRelativePath(Paths.Istio(""), file));
            foreach (var workload in new[] { "productpage-v1", "reviews-v1", "details-v1" })
            {
                mesh.SnapshotFor(workload).CheckConsistency().Should().BeEmpty(file);
            }
        }
    }
}
