using FluentAssertions;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Rigging.Proxy.Http.Forwarding;
using Rigging.Proxy.Telemetry;

namespace Rigging.Proxy.Tests.Admin;

/// <summary>How a finished request is counted: without allocating, into Envoy's buckets, and (when on) logged.</summary>
public sealed class StatsRecordingTests
{
    [Fact]
    public void Recording_a_request_on_a_prepared_prefix_allocates_nothing()
    {
        var stats = new ProxyStats(TimeProvider.System);
        stats.Prepare(["inbound", "outbound"]);
        var ok = new ForwardOutcome(200, ResponseFlags.None, "127.0.0.1:1");
        var failed = new ForwardOutcome(503, ResponseFlags.UpstreamConnectionFailure | ResponseFlags.UpstreamRetryLimitExceeded, null);
        for (var i = 0; i < 100; i++) stats.RequestFinished("outbound", ok, stats.RequestStarted());

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1000; i++)
        {
            stats.RequestFinished("outbound", ok, stats.RequestStarted());
            stats.RequestFinished("outbound", failed, stats.RequestStarted());
        }
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        allocated.Should().Be(0);
        stats.Get("outbound", "downstream_rq_total").Should().Be(2100);
        stats.Get("outbound", "downstream_rq_5xx").Should().Be(1000);
        stats.Get("outbound", "response_flags_UF").Should().Be(1000);
        stats.Get("outbound", "response_flags_URX").Should().Be(1000);
        stats.ActiveRequests.Should().Be(0);
    }

    [Fact]
    public void Histogram_uses_envoys_buckets_cumulatively_with_sum_and_count()
    {
        var histogram = new Histogram();
        foreach (var ms in new[] { 0.2, 0.5, 3, 40, 100_000, 7_200_000 }) histogram.Record(ms);

        var cumulative = histogram.CumulativeCounts();

        Histogram.EnvoyBuckets[..4].Should().Equal(0.5, 1, 5, 10);
        cumulative[0].Should().Be(2);   // le 0.5
        cumulative[2].Should().Be(3);   // le 5
        cumulative[5].Should().Be(4);   // le 50
        cumulative[^2].Should().Be(5);  // le 3600000
        cumulative[^1].Should().Be(6);  // +Inf
        histogram.Count.Should().Be(6);
        histogram.SumMilliseconds.Should().BeApproximately(7_300_043.7, 0.01);
    }

    [Fact]
    public void Access_log_line_follows_envoys_default_format_with_response_flags()
    {
        var logger = new CapturingLogger();
        var stats = new ProxyStats(TimeProvider.System, new AccessLog(logger));
        var context = new DefaultHttpContext();
        context.Request.Method = "GET";
        context.Request.Path = "/books";
        context.Request.QueryString = new QueryString("?id=1");
        context.Request.Protocol = "HTTP/1.1";
        context.Request.Host = new HostString("reviews:9080");
        context.Request.Headers.UserAgent = "curl/8";
        context.Request.Headers["x-request-id"] = "abc";

        stats.RequestFinished("outbound", new ForwardOutcome(503, ResponseFlags.UpstreamConnectionFailure, "127.0.0.1:9"), stats.RequestStarted(), context);

        logger.Lines.Should().ContainSingle().Which.Should().MatchRegex(
            "^\\[\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z\\] \"GET /books\\?id=1 HTTP/1.1\" 503 UF 0 0 \\d+ - \"-\" \"curl/8\" \"abc\" \"reviews:9080\" \"127.0.0.1:9\"$");
    }

    [Fact]
    public void Access_log_is_off_by_default()
    {
        var stats = new ProxyStats(TimeProvider.System);
        stats.AccessLog.Should().BeNull();
        new ProxyOptions { Xds = new Uri("http://127.0.0.1:1"), NodeId = "n", Workload = "w" }.AccessLog.Should().BeFalse();
    }

    private sealed class CapturingLogger : ILogger
    {
        public List<string> Lines { get; } = [];

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Lines.Add(formatter(state, exception));
    }
}
