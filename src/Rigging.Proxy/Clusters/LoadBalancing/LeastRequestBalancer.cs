namespace Rigging.Proxy.Clusters.LoadBalancing;

/// <summary>
/// Envoy's least request: with equal weights, the power of two choices (choice_count random usable endpoints,
/// the one with the fewest active requests wins). With unequal weights, candidates are drawn in proportion to
/// their weights and the winner has the highest effective weight, weight / (active + 1)^active_request_bias —
/// Envoy's formula, applied to a sampled pair instead of Envoy's per-thread EDF scheduler (no shared lock).
/// </summary>
internal sealed class LeastRequestBalancer : ILoadBalancer
{
    private const int DrawsPerChoice = 4;
    private readonly EndpointSet _set;
    private readonly RandomSource _random;
    private readonly int _choices;
    private readonly double _bias;
    private readonly long[]? _cumulative;

    public LeastRequestBalancer(EndpointSet set, LoadBalancerOptions options, RandomSource random)
    {
        _set = set;
        _random = random;
        _choices = options.ChoiceCount;
        _bias = options.ActiveRequestBias;
        var endpoints = set.All;
        var weighted = false;
        for (var i = 1; i < endpoints.Length; i++) weighted |= endpoints[i].Config.Weight != endpoints[0].Config.Weight;
        if (weighted)
        {
            _cumulative = new long[endpoints.Length];
            long sum = 0;
            for (var i = 0; i < endpoints.Length; i++) _cumulative[i] = sum += Math.Max(1, endpoints[i].Config.Weight);
        }
    }

    public EndpointState? Pick(in LoadBalancerContext context)
    {
        var endpoints = _set.All;
        if (endpoints.Length == 0) return null;
        var panic = _set.InPanic;
        EndpointState? best = null;
        var bestScore = double.NegativeInfinity;
        for (var choice = 0; choice < _choices; choice++)
        {
            for (var draw = 0; draw < DrawsPerChoice; draw++)
            {
                var candidate = endpoints[Draw(endpoints.Length)];
                if (!EndpointSet.Usable(candidate, panic) || ReferenceEquals(candidate, context.Avoid)) continue;
                var score = Score(candidate);
                if (score > bestScore)
                {
                    best = candidate;
                    bestScore = score;
                }
                break;
            }
        }
        return best ?? _set.Scan(_random.Next(endpoints.Length), context.Avoid, panic);
    }

    /// <summary>Higher is better: fewer active requests, or with weights the effective weight.</summary>
    private double Score(EndpointState endpoint)
    {
        var active = endpoint.ActiveRequests;
        if (_cumulative is null) return -active;
        var load = _bias == 1.0 ? active + 1.0 : Math.Pow(active + 1.0, _bias);
        return endpoint.Config.Weight / load;
    }

    private int Draw(int count)
    {
        var cumulative = _cumulative;
        if (cumulative is null) return _random.Next(count);
        var target = (long)(_random.NextUInt64() % (ulong)cumulative[^1]);
        // The first endpoint whose cumulative weight exceeds the target.
        int lo = 0, hi = cumulative.Length - 1;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (cumulative[mid] > target) hi = mid;
            else lo = mid + 1;
        }
        return lo;
    }
}
