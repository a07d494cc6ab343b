using FluentAssertions;
using Rigging.Xds.Cache;
using Rigging.Xds.Tests.Infrastructure;
using Xunit;
using static Rigging.Xds.Tests.Infrastructure.AdsTestServer;

namespace Rigging.Xds.Tests.Cache;

public sealed class SnapshotCacheTests
{
    [Fact]
    public void Inconsistent_snapshot_is_refused_with_every_missing_name_and_the_previous_one_keeps_serving()
    {
        var cache = new SnapshotCache();
        cache.SetSnapshot("n", Mesh());
        var broken = Snapshot.Create(
            XdsResources.ApiListener("l", "missing-route"),
            XdsResources.Routes("r", XdsResources.ToCluster("to-ghost", "ghost")),
            XdsResources.EdsCluster("no-endpoints"));

        var result = cache.SetSnapshot("n", broken);

        result.Outcome.Should().Be(SnapshotSetOutcome.Inconsistent);
        result.Errors.Should().HaveCount(3);
        result.Errors.Should().Contain(e => e.Contains("'missing-route'") && e.Contains("Listener 'l'"));
        result.Errors.Should().Contain(e => e.Contains("cluster 'ghost'") && e.Contains("route 'to-ghost'"));
        result.Errors.Should().Contain(e => e.Contains("EDS service 'no-endpoints'"));
        cache.GetSnapshot("n")!.Version(TypeUrls.Listener).Should().Be(Mesh().Version(TypeUrls.Listener));
    }

    [Fact]
    public void Versions_are_content_hashes_so_an_identical_snapshot_changes_nothing()
    {
        var cache = new SnapshotCache();
        cache.SetSnapshot("n", Mesh()).Outcome.Should().Be(SnapshotSetOutcome.Set);

        var again = cache.SetSnapshot("n", Mesh());

        again.Outcome.Should().Be(SnapshotSetOutcome.Unchanged);
        Mesh().Get(TypeUrls.Cluster).Resources["a"].Version.Should().Be(Mesh().Get(TypeUrls.Cluster).Resources["a"].Version);
    }

    [Fact]
    public void Only_types_whose_content_changed_are_reported()
    {
        var cache = new SnapshotCache();
        cache.SetSnapshot("n", Mesh());

        var result = cache.SetSnapshot("n", Mesh(portB: 9999));

        result.ChangedTypes.Should().BeEquivalentTo([TypeUrls.ClusterLoadAssignment]);
        Mesh(portB: 9999).Get(TypeUrls.ClusterLoadAssignment).Resources["a"].Version
            .Should().Be(Mesh().Get(TypeUrls.ClusterLoadAssignment).Resources["a"].Version, "endpoint a did not change");
    }

    [Fact]
    public void Duplicate_names_and_foreign_messages_are_refused_when_building()
    {
        var duplicate = () => Snapshot.Create(XdsResources.EdsCluster("a"), XdsResources.EdsCluster("a"));
        var foreign = () => Snapshot.Create(new Envoy.Config.Core.V3.Node { Id = "x" });

        duplicate.Should().Throw<ArgumentException>().WithMessage("*named 'a'*");
        foreign.Should().Throw<ArgumentException>().WithMessage("*not an xDS resource type*");
    }

    [Fact]
    public void Each_resource_is_serialized_once_and_shared()
    {
        var snapshot = Mesh();

        var first = snapshot.Get(TypeUrls.Cluster).Resources["a"].Any;
        var second = snapshot.Get(TypeUrls.Cluster).Resources["a"].Any;

        first.Should().BeSameAs(second);
        first.TypeUrl.Should().Be(TypeUrls.Cluster);
    }
}
