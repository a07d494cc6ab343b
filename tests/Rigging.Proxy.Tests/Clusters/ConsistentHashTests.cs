using FluentAssertions;
using Rigging.Proxy.Clusters;
using Rigging.Proxy.Clusters.LoadBalancing;
using static Rigging.Proxy.Tests.Clusters.BalancerTestKit;

namespace Rigging.Proxy.Tests.Clusters;

/// <summary>Ring hash and maglev: sticky per key, little movement on membership change, weights honoured.</summary>
public sealed class ConsistentHashTests
{
    public static TheoryData<LoadBalancerPolicy> Policies => new() { LoadBalancerPolicy.RingHash, LoadBalancerPolicy.Maglev };

    [Theory]
    [MemberData(nameof(Policies))]
    public void Same_key_always_lands_on_the_same_endpoint(LoadBalancerPolicy policy)
    {
        var set = Even(8);
        var balancer = Balancer(policy, set);

        Owners(balancer, 1000).Should().Equal(Owners(balancer, 1000));
        // And a balancer rebuilt over the same endpoints (a config push) agrees.
        Owners(Balancer(policy, Even(8), seed: 99), 1000).Should().Equal(Owners(balancer, 1000));
    }

    [Theory]
    [MemberData(nameof(Policies))]
    public void Adding_an_eleventh_endpoint_moves_few_keys(LoadBalancerPolicy policy)
    {
        var before = Owners(Balancer(policy, Even(10)), 10_000);
        var after = Owners(Balancer(policy, Even(11)), 10_000);

        var moved = before.Zip(after).Count(p => p.First != p.Second);
        // Ideal is 1/11 (9%); a modulo hash would move about 91%.
        moved.Should().BeLessThan(1600);
        after.Count(o => o == "10.0.0.11:8080").Should().BeInRange(500, 1400);
    }

    [Theory]
    [MemberData(nameof(Policies))]
    public void Keys_spread_over_the_endpoints_in_proportion_to_weight(LoadBalancerPolicy policy)
    {
        var set = Set(1, 1, 2);
        var counts = Count(Balancer(policy, set), set, 20_000, hash: i => Rigging.Proxy.Routing.KeyHash.Of("k" + i));

        counts[0].Should().BeInRange(4000, 6000);
        counts[1].Should().BeInRange(4000, 6000);
        counts[2].Should().BeInRange(8500, 11500);
    }

    [Theory]
    [MemberData(nameof(Policies))]
    public void An_ejected_endpoint_loses_only_its_own_keys(LoadBalancerPolicy policy)
    {
        var set = Even(6);
        var balancer = Balancer(policy, set);
        var before = Owners(balancer, 5000);
        set.All[2].Ejected = true;
        var after = Owners(balancer, 5000);

        for (var i = 0; i < before.Length; i++)
        {
            if (before[i] == "10.0.0.3:8080") after[i].Should().NotBe("10.0.0.3:8080");
            else after[i].Should().Be(before[i]);
        }
    }

    [Theory]
    [MemberData(nameof(Policies))]
    public void A_retry_avoiding_the_owner_goes_to_another_endpoint(LoadBalancerPolicy policy)
    {
        var set = Even(3);
        var balancer = Balancer(policy, set);
        var first = balancer.Pick(new LoadBalancerContext(12345, null))!;

        balancer.Pick(new LoadBalancerContext(12345, first)).Should().NotBeSameAs(first);
    }

    [Theory]
    [MemberData(nameof(Policies))]
    public void Without_a_hash_requests_spread_randomly(LoadBalancerPolicy policy)
    {
        var set = Even(4);
        var counts = Count(Balancer(policy, set, seed: 4), set, 8000);

        counts.Should().AllSatisfy(c => c.Should().BeInRange(1600, 2400));
    }

    [Fact]
    public void Ring_size_follows_minimum_ring_size_and_is_capped_by_maximum()
    {
        var set = Even(3);
        // Envoy's scale: the lightest endpoint's share of the minimum, rounded up (3 × 342).
        new RingHashBalancer(set, new LoadBalancerOptions { MinimumRingSize = 1024 }, new RandomSource(new Random(1))).RingSize.Should().Be(1026);
        new RingHashBalancer(set, new LoadBalancerOptions { MinimumRingSize = 4096, MaximumRingSize = 2000 }, new RandomSource(new Random(1))).RingSize
            .Should().BeLessThanOrEqualTo(2001);
    }

    [Fact]
    public void Maglev_table_gives_each_of_five_equal_endpoints_a_fifth_of_the_slots()
    {
        var table = MaglevBalancer.Build(Even(5), 65537);

        table.GroupBy(i => i).Select(g => g.Count()).Should().AllSatisfy(c => c.Should().BeInRange(13000, 13215));
    }
}
