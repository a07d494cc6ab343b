using FluentAssertions;
using Rigging.Proxy.Clusters;

namespace Rigging.Proxy.Tests.Clusters;

/// <summary>ClusterState's circuit breakers: admission, overflow and the counters /stats reads.</summary>
public sealed class CircuitBreakerTests
{
    private static ClusterState Cluster(CircuitBreakerConfig breakers, bool http2 = false) =>
        new(new ClusterModel { Name = "c", CircuitBreakers = breakers, Http2 = http2 }, new Random(1));

    [Fact]
    public void Max_requests_1_refuses_the_second_concurrent_request_and_counts_the_overflow()
    {
        using var cluster = Cluster(new CircuitBreakerConfig { MaxRequests = 1 });

        cluster.TryStartRequest(isRetry: false).Should().BeTrue();
        cluster.TryStartRequest(isRetry: false).Should().BeFalse();
        cluster.FinishRequest(isRetry: false);
        cluster.TryStartRequest(isRetry: false).Should().BeTrue();

        cluster.Stats.UpstreamRqPendingOverflow.Should().Be(1);
        cluster.Stats.UpstreamRqTotal.Should().Be(2);
        cluster.ActiveRequests.Should().Be(1);
    }

    [Fact]
    public void Retries_beyond_max_retries_overflow_while_first_attempts_still_pass()
    {
        using var cluster = Cluster(new CircuitBreakerConfig { MaxRetries = 1 });

        cluster.TryStartRequest(isRetry: true).Should().BeTrue();
        cluster.TryStartRequest(isRetry: true).Should().BeFalse();
        cluster.TryStartRequest(isRetry: false).Should().BeTrue();

        cluster.Stats.UpstreamRqRetryOverflow.Should().Be(1);
        cluster.Stats.UpstreamRqRetry.Should().Be(1);
        cluster.ActiveRetries.Should().Be(1);
    }

    [Fact]
    public void Http1_requests_beyond_max_connections_wait_up_to_max_pending_requests()
    {
        using var cluster = Cluster(new CircuitBreakerConfig { MaxConnections = 2, MaxPendingRequests = 1 });

        for (var i = 0; i < 3; i++) cluster.TryStartRequest(isRetry: false).Should().BeTrue();
        cluster.PendingRequests.Should().Be(1);
        cluster.TryStartRequest(isRetry: false).Should().BeFalse();

        cluster.Stats.UpstreamCxOverflow.Should().Be(2);
        cluster.Stats.UpstreamRqPendingOverflow.Should().Be(1);
        cluster.Invoker.Should().NotBeNull();
    }

    [Fact]
    public void Http2_multiplexes_so_max_connections_does_not_queue_requests()
    {
        using var cluster = Cluster(new CircuitBreakerConfig { MaxConnections = 1, MaxPendingRequests = 0 }, http2: true);

        for (var i = 0; i < 5; i++) cluster.TryStartRequest(isRetry: false).Should().BeTrue();
        cluster.Stats.UpstreamCxOverflow.Should().Be(0);
    }

    [Fact]
    public void Unset_limits_are_effectively_unlimited_as_in_Istio()
    {
        CircuitBreakerConfig.Default.MaxRequests.Should().Be(4294967295);
        CircuitBreakerConfig.Default.MaxRetries.Should().Be(4294967295);
        using var cluster = Cluster(CircuitBreakerConfig.Default);
        for (var i = 0; i < 10_000; i++) cluster.TryStartRequest(isRetry: i % 2 == 0).Should().BeTrue();
        cluster.ReadStats().Single(s => s.Name == "upstream_rq_active").Value.Should().Be(10_000);
    }
}
