using Rigging.Proxy.Clusters.Health;

namespace Rigging.Proxy.Clusters;

public sealed partial class EndpointState
{
    private int _hcSuccesses;
    private int _hcFailures;
    private volatile bool _hcPending;

    /// <summary>Consecutive failed active health checks.</summary>
    public int HealthCheckFailures => Volatile.Read(ref _hcFailures);

    /// <summary>
    /// Puts the endpoint under active health checking: like Envoy, it counts as failed until its first check
    /// passes (with every endpoint pending, the panic threshold still balances over all of them).
    /// </summary>
    internal void StartHealthChecking()
    {
        _hcSuccesses = 0;
        _hcFailures = 0;
        _hcPending = true;
        FailedHealthCheck = true;
    }

    internal void StopHealthChecking()
    {
        _hcPending = false;
        FailedHealthCheck = false;
    }

    /// <summary>Records one check (rounds never overlap for an endpoint); true when the check passed.</summary>
    internal void RecordHealthCheck(bool passed, HealthCheckConfig config)
    {
        if (passed)
        {
            _hcFailures = 0;
            _hcSuccesses++;
            // A new endpoint needs one pass; a failed one needs healthy_threshold passes in a row.
            if (_hcPending || _hcSuccesses >= config.HealthyThreshold)
            {
                _hcPending = false;
                FailedHealthCheck = false;
            }
        }
        else
        {
            _hcSuccesses = 0;
            _hcFailures++;
            if (_hcPending || _hcFailures >= config.UnhealthyThreshold)
            {
                _hcPending = false;
                FailedHealthCheck = true;
            }
        }
    }
}
