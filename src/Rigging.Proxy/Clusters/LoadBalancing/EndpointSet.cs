using System.Collections.Immutable;

namespace Rigging.Proxy.Clusters.LoadBalancing;

/// <summary>
/// The endpoints a balancer was built over, and whether the set is in panic: Envoy balances over every endpoint,
/// available or not, when fewer than the panic threshold (50%) are available. Availability is recounted only
/// after some endpoint's availability changed (a global epoch), so a pick normally reads two fields.
/// </summary>
public sealed class EndpointSet
{
    private readonly double _panicThreshold;
    private long _epoch = -1;
    private volatile bool _panic;

    public EndpointSet(ImmutableArray<EndpointState> endpoints, double panicThresholdPercent = 50)
    {
        All = endpoints;
        _panicThreshold = panicThresholdPercent;
    }

    public ImmutableArray<EndpointState> All { get; }

    public int Count => All.Length;

    public bool InPanic
    {
        get
        {
            var epoch = EndpointState.HealthEpoch;
            if (epoch != Volatile.Read(ref _epoch)) Recount(epoch);
            return _panic;
        }
    }

    private void Recount(long epoch)
    {
        var available = 0;
        foreach (var endpoint in All)
        {
            if (endpoint.Available) available++;
        }
        _panic = All.Length > 0 && 100.0 * available / All.Length < _panicThreshold;
        Volatile.Write(ref _epoch, epoch);
    }

    /// <summary>May this endpoint take the pick? In panic every endpoint may.</summary>
    public static bool Usable(EndpointState endpoint, bool panic) => panic || endpoint.Available;

    /// <summary>
    /// The slow path when a balancer's own choice is unusable: the first usable endpoint from a start index that
    /// is not the one to avoid, else the avoided one if usable, else null.
    /// </summary>
    public EndpointState? Scan(int start, EndpointState? avoid, bool panic)
    {
        var count = All.Length;
        EndpointState? fallback = null;
        for (var i = 0; i < count; i++)
        {
            var endpoint = All[(start + i) % count];
            if (!Usable(endpoint, panic)) continue;
            if (ReferenceEquals(endpoint, avoid))
            {
                fallback = endpoint;
                continue;
            }
            return endpoint;
        }
        return fallback;
    }
}
