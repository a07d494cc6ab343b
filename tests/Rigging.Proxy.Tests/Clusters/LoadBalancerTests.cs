using FluentAssertions;
using Rigging.Proxy.Clusters;
using Rigging.Proxy.Clusters.LoadBalancing;
using static Rigging.Proxy.Tests.Clusters.BalancerTestKit;

namespace Rigging.Proxy.Tests.Clusters;

/// <summary>Round robin, least request and random: distributions with seeded randomness.</summary>
public sealed class LoadBalancerTests
{
    [Fact]
    public void Round_robin_with_weights_1_2_3_sends_one_sixth_two_sixths_and_half()
    {
        var set = Set(1, 2, 3);
        var counts = Count(Balancer(LoadBalancerPolicy.RoundRobin, set), set, 6000);

        counts.Should().Equal(1000, 2000, 3000);
    }

    [Fact]
    public void Round_robin_spreads_a_heavy_endpoint_instead_of_bursting_it()
    {
        var set = Set(1, 3);
        var balancer = Balancer(LoadBalancerPolicy.RoundRobin, set);
        var picks = Enumerable.Range(0, 8).Select(_ => set.All.IndexOf(balancer.Pick(default)!)).ToArray();

        // Smooth weighted round robin: the light endpoint appears once in every four picks.
        for (var window = 0; window + 4 <= picks.Length; window += 4) picks.Skip(window).Take(4).Count(i => i == 0).Should().Be(1);
    }

    [Fact]
    public void Round_robin_skips_ejected_and_failed_endpoints_and_the_one_to_avoid()
    {
        var set = Even(4);
        set.All[1].Ejected = true;
        var balancer = Balancer(LoadBalancerPolicy.RoundRobin, set);

        var counts = Count(balancer, set, 300, avoid: set.All[2]);

        counts.Should().Equal(150, 0, 0, 150);
    }

    [Fact]
    public void Avoided_endpoint_is_still_picked_when_it_is_the_only_one()
    {
        var set = Even(1);
        foreach (var policy in Enum.GetValues<LoadBalancerPolicy>())
            Balancer(policy, set).Pick(new LoadBalancerContext(42, set.All[0])).Should().BeSameAs(set.All[0], policy.ToString());
    }

    [Fact]
    public void Below_the_50_percent_panic_threshold_every_endpoint_takes_traffic()
    {
        var set = Even(4);
        set.All[0].Ejected = true;
        set.All[1].FailedHealthCheck = true;
        set.All[2].Ejected = true;
        var counts = Count(Balancer(LoadBalancerPolicy.RoundRobin, set), set, 400);

        set.InPanic.Should().BeTrue();
        counts.Should().AllSatisfy(c => c.Should().Be(100));
    }

    [Fact]
    public void At_half_available_there_is_no_panic_and_unavailable_endpoints_get_nothing()
    {
        var set = Even(4);
        set.All[0].Ejected = true;
        set.All[1].Ejected = true;

        set.InPanic.Should().BeFalse();
        Count(Balancer(LoadBalancerPolicy.Random, set), set, 400).Take(2).Should().AllSatisfy(c => c.Should().Be(0));
    }

    [Fact]
    public void Least_request_prefers_the_less_loaded_of_two_random_choices()
    {
        var set = Even(10);
        for (var i = 0; i < 10; i++)
        {
            for (var n = 0; n < i; n++) set.All[i].RequestStarted();
        }
        var counts = Count(Balancer(LoadBalancerPolicy.LeastRequest, set, seed: 3), set, 10_000);

        // Uniform would give each 10%; P2C gives the idle endpoint 19% and the busiest 1%.
        counts[0].Should().BeInRange(1700, 2100);
        counts[9].Should().BeLessThan(250);
        var meanLoad = counts.Select((c, load) => (double)c * load).Sum() / 10_000;
        meanLoad.Should().BeLessThan(3.2, "the expected load of the lesser of two uniform draws over 0..9 is 2.85");
    }

    [Fact]
    public void Least_request_with_weights_1_and_3_sends_about_a_quarter_to_the_light_endpoint_when_idle()
    {
        var set = Set(1, 3);
        var counts = Count(Balancer(LoadBalancerPolicy.LeastRequest, set, seed: 5), set, 8000);

        // Candidates are drawn by weight and compared by weight / (active + 1): 1/16 of picks draw the light one twice.
        counts[0].Should().BeInRange(300, 700);
        counts[1].Should().BeGreaterThan(7000);
    }

    [Fact]
    public void Least_request_with_weights_moves_traffic_away_from_a_loaded_heavy_endpoint()
    {
        var set = Set(1, 3);
        for (var n = 0; n < 9; n++) set.All[1].RequestStarted();
        var counts = Count(Balancer(LoadBalancerPolicy.LeastRequest, set, seed: 5), set, 8000);

        // Effective weights: 1 / 1 against 3 / 10: the light endpoint wins whenever it is a candidate.
        counts[0].Should().BeInRange(3200, 3800);
    }

    [Fact]
    public void Random_spreads_evenly_with_a_seeded_random()
    {
        var set = Even(5);
        var counts = Count(Balancer(LoadBalancerPolicy.Random, set, seed: 11), set, 10_000);

        counts.Should().AllSatisfy(c => c.Should().BeInRange(1800, 2200));
    }

    [Fact]
    public void Same_seed_gives_the_same_sequence()
    {
        var a = Even(7);
        var b = Even(7);
        var first = Count(Balancer(LoadBalancerPolicy.Random, a, seed: 9), a, 500);
        var second = Count(Balancer(LoadBalancerPolicy.Random, b, seed: 9), b, 500);

        first.Should().Equal(second);
    }

    [Fact]
    public void An_empty_cluster_picks_nothing()
    {
        var set = Even(0);
        foreach (var policy in Enum.GetValues<LoadBalancerPolicy>()) Balancer(policy, set).Pick(default).Should().BeNull();
    }
}
