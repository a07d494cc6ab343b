using Envoy.Config.Cluster.V3;
using Envoy.Config.Core.V3;
using Envoy.Config.Endpoint.V3;
using FluentAssertions;
using Google.Protobuf.WellKnownTypes;
using Rigging.Proxy.Clusters;
using Rigging.Proxy.Config;
using Rigging.Proxy.Tests.Infrastructure;
using UpstreamHttp = Envoy.Extensions.Upstreams.Http.V3.HttpProtocolOptions;

namespace Rigging.Proxy.Tests.Clusters;

/// <summary>Cluster → ClusterModel: breakers, outlier detection, health checks, lb configs, upstream protocol.</summary>
public sealed class ClusterCompilerTests
{
    private static readonly Dictionary<string, ClusterLoadAssignment> NoAssignments = [];

    private static ClusterModel Compile(Cluster cluster) => ClusterCompiler.Compile(cluster, NoAssignments);

    [Fact]
    public void Circuit_breaker_thresholds_of_the_default_priority_are_read_and_the_rest_stay_unlimited()
    {
        var model = Compile(EnvoyConfig.EdsCluster("c").WithCircuitBreakers(maxRequests: 10, maxConnections: 4));

        model.CircuitBreakers.Should().Be(new CircuitBreakerConfig { MaxRequests = 10, MaxConnections = 4 });
        model.CircuitBreakers.MaxPendingRequests.Should().Be(CircuitBreakerConfig.Unlimited);
    }

    [Fact]
    public void Outlier_detection_takes_the_fields_set_and_Envoy_defaults_for_the_rest()
    {
        var model = Compile(EnvoyConfig.EdsCluster("c").WithOutlierDetection(7, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(5), 40));

        model.OutlierDetection!.Consecutive5xx.Should().Be(7);
        model.OutlierDetection.Interval.Should().Be(TimeSpan.FromSeconds(2));
        model.OutlierDetection.BaseEjectionTime.Should().Be(TimeSpan.FromSeconds(5));
        model.OutlierDetection.MaxEjectionPercent.Should().Be(40);
        model.OutlierDetection.ConsecutiveGatewayFailure.Should().Be(5);
        model.OutlierDetection.EnforcingConsecutiveGatewayFailure.Should().Be(0);
        Compile(EnvoyConfig.EdsCluster("c")).OutlierDetection.Should().BeNull();
    }

    [Fact]
    public void Outlier_percent_above_100_is_rejected_with_the_field_named()
    {
        var cluster = EnvoyConfig.EdsCluster("c");
        cluster.OutlierDetection = new OutlierDetection { MaxEjectionPercent = 150 };

        var act = () => Compile(cluster);

        act.Should().Throw<ConfigException>().WithMessage("Cluster c: outlier_detection.max_ejection_percent is 150*");
    }

    [Fact]
    public void Http_health_check_compiles_with_the_cluster_name_as_host_by_default()
    {
        var model = Compile(EnvoyConfig.EdsCluster("c").WithHttpHealthCheck("/healthz", TimeSpan.FromMilliseconds(100), unhealthy: 2, healthy: 3));

        model.HealthCheck!.Path.Should().Be("/healthz");
        model.HealthCheck.Host.Should().Be("c");
        model.HealthCheck.UnhealthyThreshold.Should().Be(2);
        model.HealthCheck.HealthyThreshold.Should().Be(3);
        model.HealthCheck.IsExpected(204).Should().BeTrue();
        model.HealthCheck.IsExpected(503).Should().BeFalse();
    }

    [Fact]
    public void A_tcp_health_check_is_rejected_because_only_http_is_supported()
    {
        var cluster = EnvoyConfig.EdsCluster("c");
        cluster.HealthChecks.Add(new HealthCheck
        {
            Timeout = Duration.FromTimeSpan(TimeSpan.FromSeconds(1)), Interval = Duration.FromTimeSpan(TimeSpan.FromSeconds(1)),
            UnhealthyThreshold = 1, HealthyThreshold = 1, TcpHealthCheck = new HealthCheck.Types.TcpHealthCheck(),
        });

        ((Action)(() => Compile(cluster))).Should().Throw<ConfigException>().WithMessage("*only http_health_check is supported*");
    }

    [Fact]
    public void Http2_comes_from_explicit_http_config_in_typed_extension_protocol_options()
    {
        var cluster = EnvoyConfig.EdsCluster("c");
        cluster.TypedExtensionProtocolOptions[ClusterCompiler.HttpProtocolOptionsName] = Any.Pack(new UpstreamHttp
        {
            ExplicitHttpConfig = new UpstreamHttp.Types.ExplicitHttpConfig { Http2ProtocolOptions = new Http2ProtocolOptions() },
            CommonHttpProtocolOptions = new HttpProtocolOptions { IdleTimeout = Duration.FromTimeSpan(TimeSpan.FromMinutes(5)) },
        });

        var model = Compile(cluster);

        model.Http2.Should().BeTrue();
        model.IdleTimeout.Should().Be(TimeSpan.FromMinutes(5));
    }

    [Fact]
    public void Http2_comes_from_the_legacy_http2_protocol_options_field_too()
    {
        var cluster = EnvoyConfig.EdsCluster("c");
        Compile(cluster).Http2.Should().BeFalse();
        cluster.Http2ProtocolOptions = new Http2ProtocolOptions();
        Compile(cluster).Http2.Should().BeTrue();
    }

    [Fact]
    public void Ring_hash_maglev_and_least_request_configs_are_read_and_checked()
    {
        var ring = EnvoyConfig.EdsCluster("c").WithPolicy(Cluster.Types.LbPolicy.RingHash);
        ring.RingHashLbConfig = new Cluster.Types.RingHashLbConfig { MinimumRingSize = 2048, MaximumRingSize = 4096 };
        Compile(ring).Balancing.MinimumRingSize.Should().Be(2048);

        var maglev = EnvoyConfig.EdsCluster("c").WithPolicy(Cluster.Types.LbPolicy.Maglev);
        maglev.MaglevLbConfig = new Cluster.Types.MaglevLbConfig { TableSize = 65536 };
        ((Action)(() => Compile(maglev))).Should().Throw<ConfigException>().WithMessage("*table_size 65536 must be a prime*");
        maglev.MaglevLbConfig.TableSize = 251;
        Compile(maglev).Balancing.MaglevTableSize.Should().Be(251);

        var least = EnvoyConfig.EdsCluster("c").WithPolicy(Cluster.Types.LbPolicy.LeastRequest);
        least.LeastRequestLbConfig = new Cluster.Types.LeastRequestLbConfig { ChoiceCount = 3 };
        Compile(least).Balancing.ChoiceCount.Should().Be(3);
    }

    [Fact]
    public void Compiling_the_same_cluster_twice_gives_equal_models_so_updates_keep_built_tables()
    {
        var cluster = EnvoyConfig.EdsCluster("c").WithHttpHealthCheck("/h", TimeSpan.FromSeconds(1)).WithCircuitBreakers(maxRequests: 3);
        var assignments = new Dictionary<string, ClusterLoadAssignment> { ["c"] = EnvoyConfig.Endpoints("c", 1000, 1001) };

        ClusterCompiler.Compile(cluster, assignments).Should().Be(ClusterCompiler.Compile(cluster.Clone(), new Dictionary<string, ClusterLoadAssignment> { ["c"] = assignments["c"].Clone() }));
    }
}
