using Envoy.Config.Cluster.V3;
using Envoy.Config.Core.V3;
using Envoy.Config.Endpoint.V3;
using Envoy.Config.Listener.V3;
using Envoy.Config.Route.V3;
using Envoy.Extensions.Filters.Network.HttpConnectionManager.V3;
using FluentAssertions;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Rigging.Xds.Cache;
using Xunit;

namespace Rigging.Xds.Tests.Cache;

/// <summary>A snapshot made by replacing resources of a consistent one is checked only where it can break, with the whole check's answer.</summary>
public sealed class SnapshotReplaceConsistencyTests
{
    [Fact]
    public void A_replaced_route_table_naming_a_missing_cluster_is_found_as_the_whole_check_finds_it()
    {
        var before = Snapshot.Create(Mesh("80", "a"));
        before.CheckConsistency().Should().BeEmpty();

        var after = before.WithReplaced(TypeUrls.RouteConfiguration, [Routes("80", "missing")]);

        after.CheckConsistency().Should().Equal(Snapshot.Create([.. Mesh("80", "a").Where(m => m is not RouteConfiguration), Routes("80", "missing")]).CheckConsistency())
            .And.ContainSingle().Which.Should().Contain("cluster 'missing'");
        before.WithReplaced(TypeUrls.RouteConfiguration, [Routes("80", "a")]).CheckConsistency().Should().BeEmpty();
    }

    [Fact]
    public void Replaced_load_assignments_keep_a_consistent_snapshot_consistent()
    {
        var before = Snapshot.Create(Mesh("80", "a"));
        before.CheckConsistency().Should().BeEmpty();

        before.WithReplaced(TypeUrls.ClusterLoadAssignment, [Assignment("a", "10.0.0.9")]).CheckConsistency().Should().BeEmpty();
    }

    [Fact]
    public void A_snapshot_that_was_inconsistent_or_never_checked_is_checked_whole_after_a_replacement()
    {
        // The listener names route table 81, which is missing: replacing route table 80 does not hide it.
        var broken = Snapshot.Create([.. Mesh("80", "a").Where(m => m is not Envoy.Config.Listener.V3.Listener), ListenerFor("81")]);
        broken.CheckConsistency().Should().ContainSingle().Which.Should().Contain("'81'");
        broken.WithReplaced(TypeUrls.RouteConfiguration, [Routes("80", "a")]).CheckConsistency().Should().ContainSingle().Which.Should().Contain("'81'");

        var neverChecked = Snapshot.Create([.. Mesh("80", "a").Where(m => m is not Envoy.Config.Listener.V3.Listener), ListenerFor("81")]);
        neverChecked.WithReplaced(TypeUrls.RouteConfiguration, [Routes("80", "a")]).CheckConsistency().Should().ContainSingle().Which.Should().Contain("'81'");
    }

    private static IMessage[] Mesh(string routeName, string cluster) =>
        [ListenerFor(routeName), Routes(routeName, cluster), Cluster(cluster), Assignment(cluster, "10.0.0.1")];

    private static Listener ListenerFor(string routeName) => new()
    {
        Name = "0.0.0.0_" + routeName,
        FilterChains =
        {
            new FilterChain
            {
                Filters =
                {
                    new Filter
                    {
                        Name = "envoy.filters.network.http_connection_manager",
                        TypedConfig = Any.Pack(new HttpConnectionManager { StatPrefix = "http", Rds = new Rds { RouteConfigName = routeName } }),
                    },
                },
            },
        },
    };

    private static RouteConfiguration Routes(string name, string cluster) => new()
    {
        Name = name,
        VirtualHosts =
        {
            new VirtualHost
            {
                Name = "all",
                Domains = { "*" },
                Routes = { new Route { Name = "default", Match = new RouteMatch { Prefix = "/" }, Route_ = new RouteAction { Cluster = cluster } } },
            },
        },
    };

    private static Cluster Cluster(string name) => new() { Name = name, Type = Envoy.Config.Cluster.V3.Cluster.Types.DiscoveryType.Eds };

    private static ClusterLoadAssignment Assignment(string cluster, string address) => new()
    {
        ClusterName = cluster,
        Endpoints =
        {
            new LocalityLbEndpoints
            {
                LbEndpoints = { new LbEndpoint { Endpoint = new Endpoint { Address = new Address { SocketAddress = new SocketAddress { Address = address, PortValue = 80 } } } } },
            },
        },
    };
}
