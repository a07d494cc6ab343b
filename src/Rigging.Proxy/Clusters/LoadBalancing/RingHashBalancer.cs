using Rigging.Proxy.Routing;

namespace Rigging.Proxy.Clusters.LoadBalancing;

/// <summary>
/// Envoy's ring hash (Ketama): each endpoint owns points on a 64-bit ring in proportion to its weight (scaled so
/// the ring has between minimum_ring_size and maximum_ring_size points); a request's hash goes to the first point
/// at or after it. Built once per endpoint set. An unusable or avoided owner passes the request clockwise to the
/// next usable endpoint, so only its keys move. Requests without a hash get a random point.
/// </summary>
internal sealed class RingHashBalancer : ILoadBalancer
{
    private readonly EndpointSet _set;
    private readonly RandomSource _random;
    private readonly ulong[] _hashes;
    private readonly int[] _owners;

    public RingHashBalancer(EndpointSet set, LoadBalancerOptions options, RandomSource random)
    {
        _set = set;
        _random = random;
        (_hashes, _owners) = Build(set, options.MinimumRingSize, options.MaximumRingSize);
    }

    internal int RingSize => _hashes.Length;

    public EndpointState? Pick(in LoadBalancerContext context)
    {
        var hashes = _hashes;
        if (hashes.Length == 0) return null;
        var hash = context.Hash ?? _random.NextUInt64();
        var index = LowerBound(hashes, hash);
        var endpoints = _set.All;
        var panic = _set.InPanic;
        EndpointState? fallback = null;
        // Bounded: a full turn of the ring visits every endpoint.
        for (var step = 0; step < hashes.Length; step++)
        {
            var endpoint = endpoints[_owners[(index + step) % hashes.Length]];
            if (!EndpointSet.Usable(endpoint, panic)) continue;
            if (!ReferenceEquals(endpoint, context.Avoid)) return endpoint;
            fallback = endpoint;
        }
        return fallback;
    }

    private static int LowerBound(ulong[] hashes, ulong hash)
    {
        int lo = 0, hi = hashes.Length;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (hashes[mid] < hash) lo = mid + 1;
            else hi = mid;
        }
        return lo == hashes.Length ? 0 : lo;
    }

    private static (ulong[] Hashes, int[] Owners) Build(EndpointSet set, int minimumSize, int maximumSize)
    {
        var endpoints = set.All;
        if (endpoints.Length == 0) return ([], []);
        double total = 0;
        foreach (var endpoint in endpoints) total += Math.Max(1, endpoint.Config.Weight);
        var minNormalized = double.MaxValue;
        foreach (var endpoint in endpoints) minNormalized = Math.Min(minNormalized, Math.Max(1, endpoint.Config.Weight) / total);
        // Envoy's scale: the lightest endpoint gets at least one point per 1/minimum_ring_size, within the maximum.
        var scale = Math.Min(Math.Ceiling(minNormalized * minimumSize) / minNormalized, maximumSize);
        var points = new List<(ulong Hash, int Owner)>((int)Math.Min(scale + endpoints.Length, maximumSize + endpoints.Length));
        double target = 0;
        var made = 0;
        for (var i = 0; i < endpoints.Length; i++)
        {
            target += scale * Math.Max(1, endpoints[i].Config.Weight) / total;
            var key = endpoints[i].Config.Key;
            for (var n = 0; made < target; n++, made++) points.Add((KeyHash.Of($"{key}_{n}"), i));
        }
        // Ties broken by owner so the ring does not depend on the order endpoints arrived in.
        points.Sort((a, b) => a.Hash != b.Hash ? a.Hash.CompareTo(b.Hash) : string.CompareOrdinal(endpoints[a.Owner].Config.Key, endpoints[b.Owner].Config.Key));
        var hashes = new ulong[points.Count];
        var owners = new int[points.Count];
        for (var i = 0; i < points.Count; i++) (hashes[i], owners[i]) = points[i];
        return (hashes, owners);
    }
}
