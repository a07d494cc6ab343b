using System.Text;
using FluentAssertions;
using Rigging.Cli.Demo.Display;
using Rigging.Cli.Demo.Traffic;

namespace Rigging.Cli.Tests;

/// <summary>The demo's reading of bookinfo replies and its per service/version statistics.</summary>
public sealed class DemoTrafficTests
{
    [Fact]
    public void Reply_reader_reports_every_downstream_call_with_the_version_that_answered()
    {
        var json = """
            {"service":"productpage","version":"v1","calls":[
              {"service":"details","version":"v1","status":200,"ms":1.5,"calls":[]},
              {"service":"reviews","version":"v2","status":200,"ms":4,"calls":[
                {"service":"ratings","version":"v1","status":200,"ms":1,"calls":[]}]}]}
            """;
        var downstream = new List<Outcome>();

        var version = ReplyReader.Read(Encoding.UTF8.GetBytes(json), downstream);

        version.Should().Be("v1");
        downstream.Should().Equal(
            new Outcome("details", "v1", true, 1.5),
            new Outcome("reviews", "v2", true, 4),
            new Outcome("ratings", "v1", true, 1));
    }

    [Fact]
    public void Reply_reader_counts_a_failed_call_as_a_failure_of_an_unknown_version()
    {
        var json = """{"service":"productpage","version":"v1","calls":[{"service":"reviews","version":null,"status":503,"ms":2,"calls":[]}]}""";
        var downstream = new List<Outcome>();

        ReplyReader.Read(Encoding.UTF8.GetBytes(json), downstream).Should().Be("v1");

        downstream.Should().Equal(new Outcome("reviews", ReplyReader.Unknown, false, 2));
    }

    [Fact]
    public void Reply_reader_returns_null_for_a_body_that_is_not_a_reply()
    {
        ReplyReader.Read("no healthy upstream"u8, []).Should().BeNull();
    }

    [Fact]
    public void Stats_show_the_80_20_split_of_reviews_with_rate_success_and_p99()
    {
        var time = new ManualTime();
        var stats = new TrafficStats(time);
        stats.Start();
        for (var i = 0; i < 100; i++)
        {
            time.Advance(TimeSpan.FromMilliseconds(40));
            stats.Record(new Outcome("reviews", i % 5 == 4 ? "v2" : "v1", Success: i != 0, Milliseconds: i));
        }

        var rows = stats.Rows();

        rows.Select(r => (r.Service, r.Version)).Should().Equal(("reviews", "v1"), ("reviews", "v2"));
        var v1 = rows[0];
        v1.Share.Should().BeApproximately(80, 0.01);
        v1.RatePerSecond.Should().BeApproximately(80 / 4.0, 0.5, "80 answers in 4 s");
        v1.Success.Should().BeApproximately(100.0 * 79 / 80, 0.01);
        v1.P99.Should().Be(98);
        rows[1].TotalShare.Should().BeApproximately(20, 0.01);
        rows[1].TotalP99.Should().BeInRange(99 / 1.06, 99 * 1.06);
    }

    [Fact]
    public void A_version_that_stops_answering_drops_to_zero_requests_per_second_but_keeps_its_totals()
    {
        var time = new ManualTime();
        var stats = new TrafficStats(time);
        stats.Start();
        stats.Record(new Outcome("reviews", "v1", true, 3));
        time.Advance(TimeSpan.FromSeconds(10));
        stats.Record(new Outcome("reviews", "v3", true, 3));

        var v1 = stats.Rows().Single(r => r.Version == "v1");

        v1.RatePerSecond.Should().Be(0);
        v1.Share.Should().Be(0);
        v1.Success.Should().BeNull();
        v1.TotalCount.Should().Be(1);
        v1.TotalShare.Should().Be(50);
    }

    [Fact]
    public void Rows_are_in_call_order_productpage_details_reviews_ratings()
    {
        var stats = new TrafficStats(new ManualTime());
        foreach (var service in new[] { "ratings", "reviews", "details", "productpage" }) stats.Record(new Outcome(service, "v1", true, 1));

        stats.Rows().Select(r => r.Service).Should().Equal("productpage", "details", "reviews", "ratings");
    }

    [Fact]
    public void Progress_line_names_each_service_once_with_its_versions()
    {
        var rows = new List<StatsRow>
        {
            new("reviews", "v1", 16, 80, 100, 3, 160, 80, 100, 3),
            new("reviews", "v2", 4, 20, 50, 9, 40, 20, 50, 9),
        };

        ProgressLine.Format(rows, TimeSpan.FromSeconds(10)).Should().Be("[  10 s] reviews v1 16.0/s p99 3 ms v2 4.0/s p99 9 ms (50% ok)");
    }

    [Fact]
    public void Latency_histogram_percentiles_are_within_5_percent()
    {
        var histogram = new LatencyHistogram();
        for (var i = 1; i <= 1000; i++) histogram.Add(i);

        histogram.Percentile(99).Should().BeInRange(990 / 1.05, 990 * 1.05);
        histogram.Percentile(50).Should().BeInRange(500 / 1.05, 500 * 1.05);
        new LatencyHistogram().Percentile(99).Should().BeNull();
    }

    private sealed class ManualTime : TimeProvider
    {
        private long _ticks = 1_000_000;

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public override long GetTimestamp() => _ticks;

        public void Advance(TimeSpan by) => _ticks += by.Ticks;
    }
}
