namespace Rigging.Proxy.Clusters.LoadBalancing;

/// <summary>
/// Weighted round robin: a schedule built once per endpoint set by smooth weighted round robin (each endpoint
/// appears in proportion to its weight, spread out, not in bursts), walked with one atomic counter. Unusable
/// endpoints and the one to avoid are skipped. Equal weights give plain round robin.
/// </summary>
internal sealed class RoundRobinBalancer : ILoadBalancer
{
    private const int MaxSchedule = 1 << 14;
    private readonly EndpointSet _set;
    private readonly int[] _schedule;
    private int _next;

    public RoundRobinBalancer(EndpointSet set, RandomSource random)
    {
        _set = set;
        _schedule = BuildSchedule(set);
        // Start somewhere random so that proxies started together do not all hit the first endpoint.
        _next = _schedule.Length == 0 ? 0 : random.Next(_schedule.Length) - 1;
    }

    public EndpointState? Pick(in LoadBalancerContext context)
    {
        var schedule = _schedule;
        if (schedule.Length == 0) return null;
        var endpoints = _set.All;
        var panic = _set.InPanic;
        var tries = Math.Min(schedule.Length, 2 * endpoints.Length + 2);
        for (var attempt = 0; attempt < tries; attempt++)
        {
            var slot = (int)((uint)Interlocked.Increment(ref _next) % (uint)schedule.Length);
            var endpoint = endpoints[schedule[slot]];
            if (EndpointSet.Usable(endpoint, panic) && !ReferenceEquals(endpoint, context.Avoid)) return endpoint;
        }
        return _set.Scan((int)((uint)Volatile.Read(ref _next) % (uint)endpoints.Length), context.Avoid, panic);
    }

    internal static int[] BuildSchedule(EndpointSet set)
    {
        var endpoints = set.All;
        if (endpoints.Length == 0) return [];
        var weights = ScaledWeights(endpoints);
        if (Array.TrueForAll(weights, w => w == 1))
        {
            var plain = new int[weights.Length];
            for (var i = 0; i < plain.Length; i++) plain[i] = i;
            return plain;
        }
        long total = 0;
        foreach (var w in weights) total += w;
        var schedule = new int[total];
        var current = new long[weights.Length];
        for (var n = 0; n < schedule.Length; n++)
        {
            var best = 0;
            for (var i = 0; i < weights.Length; i++)
            {
                current[i] += weights[i];
                if (current[i] > current[best]) best = i;
            }
            current[best] -= total;
            schedule[n] = best;
        }
        return schedule;
    }

    /// <summary>Weights divided by their common divisor, scaled down (each at least 1) when their sum is too long a schedule.</summary>
    private static long[] ScaledWeights(System.Collections.Immutable.ImmutableArray<EndpointState> endpoints)
    {
        var weights = new long[endpoints.Length];
        long gcd = 0;
        long sum = 0;
        for (var i = 0; i < weights.Length; i++)
        {
            weights[i] = Math.Max(1, endpoints[i].Config.Weight);
            gcd = Gcd(gcd, weights[i]);
        }
        for (var i = 0; i < weights.Length; i++)
        {
            weights[i] /= gcd;
            sum += weights[i];
        }
        var limit = Math.Max(MaxSchedule, endpoints.Length);
        if (sum > limit)
        {
            var scale = (double)limit / sum;
            for (var i = 0; i < weights.Length; i++) weights[i] = Math.Max(1, (long)Math.Round(weights[i] * scale));
        }
        return weights;
    }

    private static long Gcd(long a, long b)
    {
        while (b != 0) (a, b) = (b, a % b);
        return a;
    }
}
