using Envoy.Config.Listener.V3;
using Envoy.Config.Route.V3;
using FluentAssertions;
using Google.Protobuf;
using Rigging.Xds.Cache;
using Xunit;
using static Rigging.Xds.Tests.Infrastructure.XdsResources;

namespace Rigging.Xds.Tests.Cache;

/// <summary>A snapshot made by replacing resources of a consistent one is checked only where it can break, with the whole check's answer.</summary>
public sealed class SnapshotReplaceConsistencyTests
{
    [Fact]
    public void A_replaced_route_table_naming_a_missing_cluster_is_found_as_the_whole_check_finds_it()
    {
        var before = Snapshot.Create(Mesh("80"));
        before.CheckConsistency().Should().BeEmpty();

        var after = before.WithReplaced(TypeUrls.RouteConfiguration, [Table("80", "missing")]);

        after.CheckConsistency().Should().Equal(Snapshot.Create([.. Mesh("80").Where(m => m is not RouteConfiguration), Table("80", "missing")]).CheckConsistency())
            .And.ContainSingle().Which.Should().Contain("cluster 'missing'");
        before.WithReplaced(TypeUrls.RouteConfiguration, [Table("80", "a")]).CheckConsistency().Should().BeEmpty();
    }

    [Fact]
    public void Replaced_load_assignments_keep_a_consistent_snapshot_consistent()
    {
        var before = Snapshot.Create(Mesh("80"));
        before.CheckConsistency().Should().BeEmpty();

        before.WithReplaced(TypeUrls.ClusterLoadAssignment, [Endpoints("a", 9090)]).CheckConsistency().Should().BeEmpty();
    }

    [Fact]
    public void A_snapshot_that_was_inconsistent_or_never_checked_is_checked_whole_after_a_replacement()
    {
        // The listener names route table 81, which is missing: replacing route table 80 does not hide it.
        IMessage[] broken = [.. Mesh("80").Where(m => m is not Listener), ApiListener("api", "81")];
        var checkedFirst = Snapshot.Create(broken);
        checkedFirst.CheckConsistency().Should().ContainSingle().Which.Should().Contain("'81'");
        checkedFirst.WithReplaced(TypeUrls.RouteConfiguration, [Table("80", "a")]).CheckConsistency().Should().ContainSingle().Which.Should().Contain("'81'");

        Snapshot.Create(broken).WithReplaced(TypeUrls.RouteConfiguration, [Table("80", "a")]).CheckConsistency()
            .Should().ContainSingle().Which.Should().Contain("'81'");
    }

    private static IMessage[] Mesh(string routeName) => [ApiListener("api", routeName), Table(routeName, "a"), EdsCluster("a"), Endpoints("a", 8080)];

    private static RouteConfiguration Table(string name, string cluster) => Routes(name, ToCluster("default", cluster));
}
