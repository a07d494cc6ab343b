using FluentAssertions;
using Rigging.Proxy.Clusters;
using Rigging.Proxy.Clusters.LoadBalancing;
using Rigging.Proxy.Clusters.Outlier;

namespace Rigging.Proxy.Tests.Clusters;

/// <summary>Outlier detection on a hand-moved clock: ejection thresholds, growing ejection time, max percent.</summary>
public sealed class OutlierDetectionTests
{
    private readonly ManualClock _clock = new();
    private readonly ClusterStats _stats = new();

    private (OutlierDetector Detector, EndpointSet Set) Detector(int endpoints, OutlierDetectionConfig config)
    {
        var set = BalancerTestKit.Even(endpoints);
        var detector = new OutlierDetector(config, () => set.All, _stats, _clock, new RandomSource(new Random(1)));
        foreach (var endpoint in set.All) endpoint.Detector = detector;
        return (detector, set);
    }

    private static readonly OutlierDetectionConfig Config = new()
    {
        Consecutive5xx = 3,
        BaseEjectionTime = TimeSpan.FromSeconds(30),
        MaxEjectionTime = TimeSpan.FromSeconds(300),
        MaxEjectionPercent = 50,
    };

    [Fact]
    public void Three_consecutive_5xx_eject_and_a_success_in_between_resets_the_count()
    {
        var (_, set) = Detector(4, Config);
        var endpoint = set.All[0];

        endpoint.ReportStatus(500);
        endpoint.ReportStatus(502);
        endpoint.ReportStatus(200);
        endpoint.ReportStatus(500);
        endpoint.ReportStatus(500);
        endpoint.Ejected.Should().BeFalse();
        endpoint.ReportStatus(503);

        endpoint.Ejected.Should().BeTrue();
        endpoint.Available.Should().BeFalse();
        _stats.OutlierEjectionsConsecutive5xx.Should().Be(1);
    }

    [Fact]
    public void Ejection_lasts_base_time_then_twice_base_on_the_second_ejection()
    {
        var (detector, set) = Detector(4, Config);
        var endpoint = set.All[1];
        for (var i = 0; i < 3; i++) endpoint.ReportStatus(500);

        _clock.Advance(TimeSpan.FromSeconds(29));
        detector.OnInterval();
        endpoint.Ejected.Should().BeTrue();
        _clock.Advance(TimeSpan.FromSeconds(1));
        detector.OnInterval();
        endpoint.Ejected.Should().BeFalse();

        for (var i = 0; i < 3; i++) endpoint.ReportStatus(500);
        endpoint.Ejected.Should().BeTrue();
        _clock.Advance(TimeSpan.FromSeconds(59));
        detector.OnInterval();
        endpoint.Ejected.Should().BeTrue("the second ejection lasts 2 × base");
        _clock.Advance(TimeSpan.FromSeconds(1));
        detector.OnInterval();
        endpoint.Ejected.Should().BeFalse();
        endpoint.Outlier.Ejections.Should().Be(2);
    }

    [Fact]
    public void Ejection_time_is_capped_by_max_ejection_time()
    {
        var config = Config with { MaxEjectionTime = TimeSpan.FromSeconds(45) };
        config.EjectionTime(1).Should().Be(TimeSpan.FromSeconds(30));
        config.EjectionTime(2).Should().Be(TimeSpan.FromSeconds(45));
        config.EjectionTime(10).Should().Be(TimeSpan.FromSeconds(45));
    }

    [Fact]
    public void No_more_than_max_ejection_percent_of_endpoints_are_ejected()
    {
        var (_, set) = Detector(4, Config);
        foreach (var endpoint in set.All)
        {
            for (var i = 0; i < 3; i++) endpoint.ReportStatus(503);
        }

        set.All.Count(e => e.Ejected).Should().Be(2);
        _stats.OutlierEjectionsOverflow.Should().Be(2);
    }

    [Fact]
    public void Default_ten_percent_ejects_nobody_from_two_endpoints_unless_always_eject_one_host()
    {
        var (_, set) = Detector(2, new OutlierDetectionConfig { Consecutive5xx = 1 });
        set.All[0].ReportStatus(500);
        set.All[0].Ejected.Should().BeFalse();

        var (_, other) = Detector(2, new OutlierDetectionConfig { Consecutive5xx = 1, AlwaysEjectOneHost = true });
        other.All[0].ReportStatus(500);
        other.All[0].Ejected.Should().BeTrue();
    }

    [Fact]
    public void Gateway_failures_are_detected_but_not_enforced_by_default()
    {
        var (_, set) = Detector(4, Config with { Consecutive5xx = 100, ConsecutiveGatewayFailure = 2 });
        set.All[0].ReportStatus(502);
        set.All[0].ReportStatus(504);
        set.All[0].Ejected.Should().BeFalse();

        var (_, enforced) = Detector(4, Config with { Consecutive5xx = 100, ConsecutiveGatewayFailure = 2, EnforcingConsecutiveGatewayFailure = 100 });
        enforced.All[0].ReportStatus(502);
        enforced.All[0].ReportStatus(504);
        enforced.All[0].Ejected.Should().BeTrue();
    }

    [Fact]
    public void Connect_failures_count_as_5xx_unless_local_origin_errors_are_split()
    {
        var (_, set) = Detector(4, Config);
        for (var i = 0; i < 3; i++) set.All[0].ReportFailure(Rigging.Proxy.Http.Forwarding.UpstreamFailure.ConnectFailure);
        set.All[0].Ejected.Should().BeTrue();

        var (_, split) = Detector(4, Config with { SplitExternalLocalOriginErrors = true, ConsecutiveLocalOriginFailure = 2 });
        split.All[0].ReportFailure(Rigging.Proxy.Http.Forwarding.UpstreamFailure.ConnectFailure);
        split.All[0].ReportStatus(500);
        split.All[0].ReportFailure(Rigging.Proxy.Http.Forwarding.UpstreamFailure.Reset);
        split.All[0].Ejected.Should().BeTrue();
        _stats.OutlierEjectionsConsecutiveLocalOriginFailure.Should().Be(1);
    }
}
