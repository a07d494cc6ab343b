using FluentAssertions;
using Rigging.Xds.Cache;
using Rigging.Xds.Server;
using Rigging.Xds.Tests.Infrastructure;
using Xunit;

namespace Rigging.Xds.Tests.Server;

/// <summary>Envoy's wildcard rules for SotW and delta subscriptions.</summary>
public sealed class SubscriptionTests
{
    [Fact]
    public void Empty_first_listener_request_is_a_legacy_wildcard_that_lasts_while_lists_stay_empty()
    {
        var s = new Subscription(TypeUrls.Listener);

        s.Replace([], firstRequest: true);
        s.Wildcard.Should().BeTrue();
        s.Replace([], firstRequest: false);
        s.Wildcard.Should().BeTrue();
        s.Replace(["a"], firstRequest: false).Should().BeTrue();
        s.Wildcard.Should().BeFalse();
        s.Replace([], firstRequest: false);
        s.Wildcard.Should().BeFalse("an explicit subscriber that sends an empty list unsubscribes from everything");
    }

    [Fact]
    public void Star_is_a_wildcard_for_any_type_and_mixes_with_names()
    {
        var s = new Subscription(TypeUrls.RouteConfiguration);

        s.Replace(["*", "r1"], firstRequest: true);

        s.Wildcard.Should().BeTrue();
        s.Names.Should().BeEquivalentTo(["r1"]);
    }

    [Fact]
    public void Empty_first_route_request_is_not_a_wildcard()
    {
        var s = new Subscription(TypeUrls.RouteConfiguration);

        s.Replace([], firstRequest: true);

        s.Wildcard.Should().BeFalse();
        s.Covers("anything").Should().BeFalse();
    }

    [Fact]
    public void Delta_subscribe_and_unsubscribe_adjust_names_and_star()
    {
        var s = new Subscription(TypeUrls.Cluster);

        s.Adjust([], [], firstRequest: true, subscribeWasEmpty: true);
        s.Wildcard.Should().BeTrue("an empty first delta request for clusters is a wildcard");
        s.Adjust(["x"], ["*"], firstRequest: false, subscribeWasEmpty: false);

        s.Wildcard.Should().BeFalse();
        s.Covers("x").Should().BeTrue();
        s.Covers("y").Should().BeFalse();
    }

    [Fact]
    public void Replace_reports_no_change_for_the_same_names_in_another_order()
    {
        var s = new Subscription(TypeUrls.ClusterLoadAssignment);
        s.Replace(["a", "b"], firstRequest: true);

        s.Replace(["b", "a"], firstRequest: false).Should().BeFalse();
    }

    [Fact]
    public void Selection_is_in_name_order_with_the_subset_version_and_follows_subscription_changes_on_the_same_set()
    {
        var snapshot = Snapshot.Create(XdsResources.Endpoints("c", 1), XdsResources.Endpoints("a", 2), XdsResources.Endpoints("b", 3));
        var set = snapshot.Get(TypeUrls.ClusterLoadAssignment);
        var s = new Subscription(TypeUrls.ClusterLoadAssignment);

        s.Replace(["c", "a", "missing"], firstRequest: true);
        var first = s.Select(set);
        first.Resources.Select(r => r.Name).Should().Equal("a", "c");
        first.Version.Should().Be(ResourceSet.VersionOf([set.Resources["c"], set.Resources["a"]]));
        s.Select(set).Should().Be(first, "an ACK round on the same set selects nothing anew");

        s.Replace(["b"], firstRequest: false).Should().BeTrue();
        s.Select(set).Resources.Select(r => r.Name).Should().Equal("b");

        s.Replace(["*"], firstRequest: false);
        var all = s.Select(set);
        all.Resources.Select(r => r.Name).Should().Equal("a", "b", "c");
        all.Version.Should().Be(set.Version);
    }
}
