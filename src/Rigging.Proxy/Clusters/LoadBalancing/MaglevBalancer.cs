using Rigging.Proxy.Routing;

namespace Rigging.Proxy.Clusters.LoadBalancing;

/// <summary>
/// Maglev consistent hashing (Eisenbud et al., NSDI 2016), weighted as Envoy does: a lookup table of a prime size
/// (65537 by default) filled by each endpoint in turn from its own permutation (offset + j·skip mod M); an
/// endpoint with a fraction of the largest weight takes its turn that fraction of the rounds. Built once per
/// endpoint set; a pick is one table read. An unusable or avoided owner passes to the next table slots.
/// </summary>
internal sealed class MaglevBalancer : ILoadBalancer
{
    private const int MaxProbes = 512;
    private readonly EndpointSet _set;
    private readonly RandomSource _random;
    private readonly int[] _table;

    public MaglevBalancer(EndpointSet set, LoadBalancerOptions options, RandomSource random)
    {
        _set = set;
        _random = random;
        _table = Build(set, options.MaglevTableSize);
    }

    public EndpointState? Pick(in LoadBalancerContext context)
    {
        var table = _table;
        if (table.Length == 0) return null;
        var hash = context.Hash ?? _random.NextUInt64();
        var slot = (int)(hash % (ulong)table.Length);
        var endpoints = _set.All;
        var panic = _set.InPanic;
        var probes = Math.Min(MaxProbes, table.Length);
        for (var step = 0; step < probes; step++)
        {
            var endpoint = endpoints[table[(slot + step) % table.Length]];
            if (EndpointSet.Usable(endpoint, panic) && !ReferenceEquals(endpoint, context.Avoid)) return endpoint;
        }
        return _set.Scan(table[slot], context.Avoid, panic);
    }

    internal static int[] Build(EndpointSet set, int size)
    {
        var endpoints = set.All;
        var n = endpoints.Length;
        if (n == 0) return [];
        var offsets = new long[n];
        var skips = new long[n];
        var next = new long[n];
        var weights = new double[n];
        var targets = new double[n];
        double maxWeight = 0;
        for (var i = 0; i < n; i++)
        {
            var key = endpoints[i].Config.Key;
            offsets[i] = (long)(KeyHash.Of(key) % (ulong)size);
            skips[i] = (long)(KeyHash.Of(key + "#skip") % (ulong)(size - 1)) + 1;
            weights[i] = Math.Max(1, endpoints[i].Config.Weight);
            maxWeight = Math.Max(maxWeight, weights[i]);
        }
        var table = new int[size];
        Array.Fill(table, -1);
        var filled = 0;
        for (long round = 0; filled < size; round++)
        {
            for (var i = 0; i < n && filled < size; i++)
            {
                // Envoy's weighting: an endpoint takes this round's turn while its share is behind round × weight.
                if (round * weights[i] < targets[i]) continue;
                targets[i] += maxWeight;
                long candidate;
                do
                {
                    candidate = (offsets[i] + next[i] * skips[i]) % size;
                    next[i]++;
                }
                while (table[candidate] >= 0);
                table[candidate] = i;
                filled++;
            }
        }
        return table;
    }
}
