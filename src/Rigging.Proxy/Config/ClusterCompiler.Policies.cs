using Envoy.Config.Cluster.V3;
using Rigging.Proxy.Clusters;
using Rigging.Proxy.Clusters.Health;
using Rigging.Proxy.Clusters.Outlier;
using UpstreamHttp = Envoy.Extensions.Upstreams.Http.V3.HttpProtocolOptions;
using Rigging.Xds.Protos;

namespace Rigging.Proxy.Config;

internal static partial class ClusterCompiler
{
    public const string HttpProtocolOptionsName = "envoy.extensions.upstreams.http.v3.HttpProtocolOptions";

    private static LoadBalancerOptions Balancing(Cluster cluster, string where)
    {
        var options = LoadBalancerOptions.Default;
        if (cluster.RingHashLbConfig is { } ring)
        {
            var min = ring.MinimumRingSize ?? 1024;
            var max = ring.MaximumRingSize ?? 8UL * 1024 * 1024;
            if (min == 0 || max > 8UL * 1024 * 1024 || min > max)
                throw new ConfigException($"{where}: ring_hash_lb_config needs 1 <= minimum_ring_size <= maximum_ring_size <= 8388608 (got {min} and {max})");
            options = options with { MinimumRingSize = (int)min, MaximumRingSize = (int)max };
        }
        if (cluster.MaglevLbConfig is { TableSize: { } size })
        {
            if (size > 5_000_011 || !IsPrime(size)) throw new ConfigException($"{where}: maglev_lb_config.table_size {size} must be a prime no larger than 5000011");
            options = options with { MaglevTableSize = (int)size };
        }
        if (cluster.LeastRequestLbConfig is { } least)
        {
            var choices = least.ChoiceCount ?? 2;
            if (choices < 2) throw new ConfigException($"{where}: least_request_lb_config.choice_count must be at least 2 (got {choices})");
            var bias = least.ActiveRequestBias?.DefaultValue ?? 1.0;
            if (bias < 0 || double.IsNaN(bias)) throw new ConfigException($"{where}: least_request_lb_config.active_request_bias must be >= 0 (got {bias})");
            options = options with { ChoiceCount = (int)Math.Min(choices, 100), ActiveRequestBias = bias };
        }
        if (cluster.CommonLbConfig?.HealthyPanicThreshold is { } panic)
        {
            if (panic.Value is < 0 or > 100) throw new ConfigException($"{where}: common_lb_config.healthy_panic_threshold must be 0-100 (got {panic.Value})");
            options = options with { PanicThresholdPercent = panic.Value };
        }
        return options == LoadBalancerOptions.Default ? LoadBalancerOptions.Default : options;
    }

    private static bool IsPrime(ulong n)
    {
        if (n < 2) return false;
        for (ulong d = 2; d * d <= n; d++)
        {
            if (n % d == 0) return false;
        }
        return true;
    }

    /// <summary>The default-priority thresholds; anything unset is effectively unlimited (Istio's defaults).</summary>
    private static CircuitBreakerConfig CircuitBreakers(CircuitBreakers? breakers, string where)
    {
        if (breakers is null) return CircuitBreakerConfig.Default;
        foreach (var t in breakers.Thresholds)
        {
            if (t.Priority != Envoy.Config.Core.V3.RoutingPriority.Default) continue;
            var config = new CircuitBreakerConfig
            {
                MaxConnections = t.MaxConnections ?? CircuitBreakerConfig.Unlimited,
                MaxPendingRequests = t.MaxPendingRequests ?? CircuitBreakerConfig.Unlimited,
                MaxRequests = t.MaxRequests ?? CircuitBreakerConfig.Unlimited,
                MaxRetries = t.MaxRetries ?? CircuitBreakerConfig.Unlimited,
            };
            if (config.MaxConnections == 0) throw new ConfigException($"{where}: circuit_breakers max_connections must be at least 1");
            return config == CircuitBreakerConfig.Default ? CircuitBreakerConfig.Default : config;
        }
        return CircuitBreakerConfig.Default;
    }

    private static OutlierDetectionConfig OutlierDetection(OutlierDetection o, string where)
    {
        var defaults = new OutlierDetectionConfig();
        var config = new OutlierDetectionConfig
        {
            Consecutive5xx = o.Consecutive5Xx ?? defaults.Consecutive5xx,
            EnforcingConsecutive5xx = Percent(o.EnforcingConsecutive5Xx, defaults.EnforcingConsecutive5xx, "enforcing_consecutive_5xx", where),
            ConsecutiveGatewayFailure = o.ConsecutiveGatewayFailure ?? defaults.ConsecutiveGatewayFailure,
            EnforcingConsecutiveGatewayFailure = Percent(o.EnforcingConsecutiveGatewayFailure, defaults.EnforcingConsecutiveGatewayFailure, "enforcing_consecutive_gateway_failure", where),
            SplitExternalLocalOriginErrors = o.SplitExternalLocalOriginErrors,
            ConsecutiveLocalOriginFailure = o.ConsecutiveLocalOriginFailure ?? defaults.ConsecutiveLocalOriginFailure,
            EnforcingConsecutiveLocalOriginFailure = Percent(o.EnforcingConsecutiveLocalOriginFailure, defaults.EnforcingConsecutiveLocalOriginFailure, "enforcing_consecutive_local_origin_failure", where),
            Interval = Positive(o.Interval, defaults.Interval, "interval", where),
            BaseEjectionTime = Positive(o.BaseEjectionTime, defaults.BaseEjectionTime, "base_ejection_time", where),
            MaxEjectionTime = Positive(o.MaxEjectionTime, defaults.MaxEjectionTime, "max_ejection_time", where),
            MaxEjectionPercent = Percent(o.MaxEjectionPercent, defaults.MaxEjectionPercent, "max_ejection_percent", where),
            AlwaysEjectOneHost = o.AlwaysEjectOneHost ?? false,
            SuccessfulActiveHealthCheckUnejectHost = o.SuccessfulActiveHealthCheckUnejectHost ?? true,
        };
        return config;
    }

    private static HealthCheckConfig? HealthCheck(Cluster cluster, string where)
    {
        if (cluster.HealthChecks.Count == 0) return null;
        if (cluster.HealthChecks.Count > 1) throw new ConfigException($"{where}: health_checks has {cluster.HealthChecks.Count} entries; only one is supported");
        var check = cluster.HealthChecks[0];
        where += ": health_checks[0]";
        var http = check.HttpHealthCheck ?? throw new ConfigException($"{where}: only http_health_check is supported");
        if (check.Timeout is null || check.Interval is null) throw new ConfigException($"{where}: timeout and interval are required");
        if (check.UnhealthyThreshold is null || check.HealthyThreshold is null)
            throw new ConfigException($"{where}: unhealthy_threshold and healthy_threshold are required");
        if (string.IsNullOrEmpty(http.Path) || http.Path[0] != '/') throw new ConfigException($"{where}: http_health_check.path must start with '/' (got \"{http.Path}\")");
        var statuses = new List<(long, long)>();
        foreach (var range in http.ExpectedStatuses)
        {
            if (range.Start < 100 || range.End > 600 || range.Start >= range.End)
                throw new ConfigException($"{where}: expected_statuses [{range.Start}, {range.End}) must lie within [100, 600) and not be empty");
            statuses.Add((range.Start, range.End));
        }
        return new HealthCheckConfig
        {
            Timeout = Positive(check.Timeout, TimeSpan.FromSeconds(1), "timeout", where),
            Interval = Positive(check.Interval, TimeSpan.FromSeconds(10), "interval", where),
            UnhealthyThreshold = Math.Max(1, check.UnhealthyThreshold.Value),
            HealthyThreshold = Math.Max(1, check.HealthyThreshold.Value),
            Path = http.Path,
            Host = string.IsNullOrEmpty(http.Host) ? cluster.Name : http.Host,
            ExpectedStatuses = statuses.Count == 0 ? new([(200, 201)]) : new([.. statuses]),
        };
    }

    /// <summary>
    /// HTTP/2 upstream from typed_extension_protocol_options (explicit_http_config) or the legacy
    /// http2_protocol_options field; the idle timeout from common_http_protocol_options.
    /// </summary>
    private static (bool Http2, bool UseDownstream, TimeSpan? IdleTimeout) Protocol(Cluster cluster, string where)
    {
        var useDownstream = false;
        var http2 = cluster.Http2ProtocolOptions is not null;
        var idle = cluster.CommonHttpProtocolOptions?.IdleTimeout?.ToTimeSpan();
        if (cluster.TypedExtensionProtocolOptions.TryGetValue(HttpProtocolOptionsName, out var any))
        {
            if (!AnyPayload.Is<UpstreamHttp>(any))
                throw new ConfigException($"{where}: typed_extension_protocol_options[\"{HttpProtocolOptionsName}\"] holds {any.TypeUrl}");
            var options = AnyPayload.Parse<UpstreamHttp>(any);
            http2 = options.UpstreamProtocolOptionsCase switch
            {
                UpstreamHttp.UpstreamProtocolOptionsOneofCase.ExplicitHttpConfig => options.ExplicitHttpConfig.Http2ProtocolOptions is not null,
                // ALPN-negotiated upstreams (auto_config) speak HTTP/1.1 here.
                _ => http2,
            };
            // The request's own version, when both are allowed (HTTP/1.1 only without http2_protocol_options).
            useDownstream = options.UpstreamProtocolOptionsCase == UpstreamHttp.UpstreamProtocolOptionsOneofCase.UseDownstreamProtocolConfig
                && options.UseDownstreamProtocolConfig.Http2ProtocolOptions is not null;
            if (options.CommonHttpProtocolOptions?.IdleTimeout is { } timeout) idle = timeout.ToTimeSpan();
        }
        if (idle is { } t && t <= TimeSpan.Zero) idle = null;
        return (http2, useDownstream, idle);
    }

    private static uint Percent(uint? value, uint fallback, string field, string where) => value switch
    {
        null => fallback,
        > 100 => throw new ConfigException($"{where}: outlier_detection.{field} is {value}; it must be 0-100"),
        _ => value.Value,
    };

    private static TimeSpan Positive(Google.Protobuf.WellKnownTypes.Duration? value, TimeSpan fallback, string field, string where)
    {
        if (value is null) return fallback;
        var span = value.ToTimeSpan();
        if (span <= TimeSpan.Zero) throw new ConfigException($"{where}: {field} must be positive (got {span.TotalMilliseconds} ms)");
        return span;
    }
}
