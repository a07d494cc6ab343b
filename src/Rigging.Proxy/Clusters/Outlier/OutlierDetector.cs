using System.Collections.Immutable;
using Rigging.Proxy.Clusters.LoadBalancing;

namespace Rigging.Proxy.Clusters.Outlier;

/// <summary>
/// A cluster's outlier detection (Envoy's consecutive-error detectors): outcomes update per-endpoint counters
/// lock-free; crossing a threshold ejects the endpoint at once (never above max_ejection_percent), and a timer
/// on the injected clock brings it back after base_ejection_time × its ejection count (capped).
/// </summary>
public sealed class OutlierDetector : IDisposable
{
    private readonly Func<ImmutableArray<EndpointState>> _endpoints;
    private readonly ClusterStats _stats;
    private readonly TimeProvider _time;
    private readonly RandomSource _random;
    private readonly Lock _gate = new();
    private readonly ITimer _timer;
    private volatile OutlierDetectionConfig _config;

    internal OutlierDetector(OutlierDetectionConfig config, Func<ImmutableArray<EndpointState>> endpoints, ClusterStats stats,
        TimeProvider time, RandomSource random)
    {
        _config = config;
        _endpoints = endpoints;
        _stats = stats;
        _time = time;
        _random = random;
        _timer = time.CreateTimer(static state => ((OutlierDetector)state!).OnInterval(), this, config.Interval, config.Interval);
    }

    public OutlierDetectionConfig Config => _config;

    /// <summary>Takes a new config; ejections in force stay (their end is computed with the new times).</summary>
    internal void Configure(OutlierDetectionConfig config)
    {
        var previous = _config;
        _config = config;
        if (previous.Interval != config.Interval) _timer.Change(config.Interval, config.Interval);
    }

    internal void OnStatus(EndpointState endpoint, int status)
    {
        var monitor = endpoint.Outlier;
        var config = _config;
        if (status < 500)
        {
            // Reads before writes: a healthy stream of answers does not write shared counters.
            if (Volatile.Read(ref monitor.Consecutive5xx) != 0) Volatile.Write(ref monitor.Consecutive5xx, 0);
            if (Volatile.Read(ref monitor.ConsecutiveGatewayFailure) != 0) Volatile.Write(ref monitor.ConsecutiveGatewayFailure, 0);
            if (config.SplitExternalLocalOriginErrors && Volatile.Read(ref monitor.ConsecutiveLocalOriginFailure) != 0)
                Volatile.Write(ref monitor.ConsecutiveLocalOriginFailure, 0);
            return;
        }
        if (status is 502 or 503 or 504)
        {
            if (Interlocked.Increment(ref monitor.ConsecutiveGatewayFailure) == config.ConsecutiveGatewayFailure)
                Crossed(endpoint, EjectionKind.ConsecutiveGatewayFailure, config.EnforcingConsecutiveGatewayFailure);
        }
        else if (Volatile.Read(ref monitor.ConsecutiveGatewayFailure) != 0)
        {
            Volatile.Write(ref monitor.ConsecutiveGatewayFailure, 0);
        }
        if (Interlocked.Increment(ref monitor.Consecutive5xx) == config.Consecutive5xx)
            Crossed(endpoint, EjectionKind.Consecutive5xx, config.EnforcingConsecutive5xx);
    }

    /// <summary>A connect failure, reset or timeout: its own detector when split, else it counts as a 503.</summary>
    internal void OnLocalFailure(EndpointState endpoint)
    {
        var config = _config;
        if (!config.SplitExternalLocalOriginErrors)
        {
            OnStatus(endpoint, 503);
            return;
        }
        if (Interlocked.Increment(ref endpoint.Outlier.ConsecutiveLocalOriginFailure) == config.ConsecutiveLocalOriginFailure)
            Crossed(endpoint, EjectionKind.ConsecutiveLocalOriginFailure, config.EnforcingConsecutiveLocalOriginFailure);
    }

    /// <summary>A passing active health check ends an ejection (successful_active_health_check_uneject_host).</summary>
    internal void OnHealthCheckPassed(EndpointState endpoint)
    {
        if (!endpoint.Ejected || !_config.SuccessfulActiveHealthCheckUnejectHost) return;
        lock (_gate) Uneject(endpoint, _time.GetTimestamp());
    }

    private void Crossed(EndpointState endpoint, EjectionKind kind, uint enforcing)
    {
        // The streak is consumed: another ejection needs a new run of errors.
        var monitor = endpoint.Outlier;
        switch (kind)
        {
            case EjectionKind.Consecutive5xx: Volatile.Write(ref monitor.Consecutive5xx, 0); break;
            case EjectionKind.ConsecutiveGatewayFailure: Volatile.Write(ref monitor.ConsecutiveGatewayFailure, 0); break;
            default: Volatile.Write(ref monitor.ConsecutiveLocalOriginFailure, 0); break;
        }
        if (enforcing == 0 || (enforcing < 100 && _random.Next(100) >= enforcing)) return;
        TryEject(endpoint, kind);
    }

    internal bool TryEject(EndpointState endpoint, EjectionKind kind)
    {
        var config = _config;
        lock (_gate)
        {
            if (endpoint.Ejected) return false;
            var endpoints = _endpoints();
            if (endpoints.IsDefaultOrEmpty) return false;
            var ejected = 0;
            foreach (var e in endpoints)
            {
                if (e.Ejected) ejected++;
            }
            // Envoy's rule: the ejection must keep the ejected share at or under max_ejection_percent.
            var percent = 100.0 * (ejected + 1) / endpoints.Length;
            if (percent > config.MaxEjectionPercent && !(config.AlwaysEjectOneHost && ejected == 0))
            {
                _stats.EjectionOverflow();
                return false;
            }
            var monitor = endpoint.Outlier;
            // The multiplier grows only while base × multiplier is under the cap, as Envoy's backoff does.
            if (config.BaseEjectionTime * monitor.Multiplier < config.MaxEjectionTime || monitor.Multiplier == 0) monitor.Multiplier++;
            monitor.EjectionsTotal++;
            monitor.EjectedAt = _time.GetTimestamp();
            endpoint.Ejected = true;
            _stats.Ejected(kind);
            return true;
        }
    }

    /// <summary>The interval timer: ends ejections that have lasted long enough; forgives well-behaved endpoints.</summary>
    internal void OnInterval()
    {
        var config = _config;
        var now = _time.GetTimestamp();
        lock (_gate)
        {
            foreach (var endpoint in _endpoints())
            {
                var monitor = endpoint.Outlier;
                if (endpoint.Ejected)
                {
                    if (_time.GetElapsedTime(monitor.EjectedAt, now) >= config.EjectionTime(monitor.Multiplier)) Uneject(endpoint, now);
                }
                else if (monitor.Multiplier > 0 && _time.GetElapsedTime(monitor.UnejectedAt, now) >= config.BaseEjectionTime)
                {
                    monitor.Multiplier--;
                    monitor.UnejectedAt = now;
                }
            }
        }
    }

    private static void Uneject(EndpointState endpoint, long now)
    {
        endpoint.Outlier.UnejectedAt = now;
        endpoint.Outlier.ResetConsecutive();
        endpoint.Ejected = false;
    }

    /// <summary>Outlier detection removed from the cluster: every endpoint it ejected comes back.</summary>
    internal void Release()
    {
        lock (_gate)
        {
            foreach (var endpoint in _endpoints())
            {
                if (endpoint.Detector == this) endpoint.Detector = null;
                if (endpoint.Ejected) Uneject(endpoint, _time.GetTimestamp());
            }
        }
    }

    public void Dispose() => _timer.Dispose();
}
