using System.Collections.Immutable;

namespace Rigging.Proxy.Routing;

/// <summary>One cluster, or several with weights; picks by a uniform draw over the total weight.</summary>
public sealed class WeightedClusterChoice
{
    private readonly ImmutableArray<(string Cluster, uint Weight)> _clusters;
    private readonly ulong _total;

    public WeightedClusterChoice(ImmutableArray<(string Cluster, uint Weight)> clusters)
    {
        _clusters = clusters;
        foreach (var (_, weight) in clusters) _total += weight;
    }

    public static WeightedClusterChoice Single(string cluster) => new([(cluster, 1)]);

    public ImmutableArray<(string Cluster, uint Weight)> Clusters => _clusters;

    /// <summary>The cluster for a draw in [0, 1); null when every weight is zero.</summary>
    public string? Pick(double draw)
    {
        var index = PickIndex(draw);
        return index < 0 ? null : _clusters[index].Cluster;
    }

    /// <summary>The index of the cluster for a draw in [0, 1); -1 when every weight is zero.</summary>
    public int PickIndex(double draw)
    {
        if (_clusters.Length == 1) return _clusters[0].Weight > 0 ? 0 : -1;
        if (_total == 0) return -1;
        var target = (ulong)(draw * _total);
        ulong sum = 0;
        for (var i = 0; i < _clusters.Length; i++)
        {
            sum += _clusters[i].Weight;
            if (target < sum) return i;
        }
        return _clusters.Length - 1;
    }
}
