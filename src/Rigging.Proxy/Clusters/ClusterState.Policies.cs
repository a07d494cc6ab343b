using Rigging.Proxy.Clusters.Health;
using Rigging.Proxy.Clusters.Outlier;

namespace Rigging.Proxy.Clusters;

public sealed partial class ClusterState
{
    private OutlierDetector? _outlier;
    private HealthChecker? _health;

    /// <summary>The outlier detector while the cluster has outlier_detection.</summary>
    public OutlierDetector? OutlierDetector => _outlier;

    /// <summary>The active health checker while the cluster has a health check.</summary>
    public HealthChecker? HealthChecker => _health;

    /// <summary>Starts, reconfigures or stops outlier detection and health checking after a model change (one writer).</summary>
    private void ApplyPolicies(ClusterModel? previous, ClusterModel model)
    {
        if (model.OutlierDetection is { } outlier)
        {
            if (_outlier is null)
            {
                _outlier = new OutlierDetector(outlier, () => _current.Set.All, Stats, _time, _random);
                foreach (var endpoint in Endpoints) endpoint.Detector = _outlier;
            }
            else
            {
                _outlier.Configure(outlier);
            }
        }
        else if (_outlier is not null)
        {
            _outlier.Release();
            _outlier.Dispose();
            _outlier = null;
        }

        if (previous?.HealthCheck == model.HealthCheck) return;
        _health?.Dispose();
        _health = null;
        if (model.HealthCheck is { } check)
        {
            // A new or changed check starts over: every endpoint waits for its first pass (Envoy's behaviour).
            if (previous is not null)
            {
                foreach (var endpoint in Endpoints) endpoint.StartHealthChecking();
            }
            _health = new HealthChecker(check, () => _current.Set.All, OnHealthCheckPassed, _time);
        }
        else
        {
            foreach (var endpoint in Endpoints) endpoint.StopHealthChecking();
        }
    }

    private void OnHealthCheckPassed(EndpointState endpoint) => _outlier?.OnHealthCheckPassed(endpoint);
}
