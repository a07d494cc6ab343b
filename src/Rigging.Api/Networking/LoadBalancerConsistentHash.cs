namespace Rigging.Api.Networking;

/// <summary>Sticky load balancing by a hash of a request property (set one hash key).</summary>
public sealed record LoadBalancerConsistentHash
{
    public string? HttpHeaderName { get; init; }

    public ConsistentHashHttpCookie? HttpCookie { get; init; }

    public bool? UseSourceIp { get; init; }

    public string? HttpQueryParameterName { get; init; }

    public ConsistentHashRingHash? RingHash { get; init; }

    public ConsistentHashMaglev? Maglev { get; init; }

    /// <summary>Deprecated: use RingHash.MinimumRingSize.</summary>
    public ulong? MinimumRingSize { get; init; }
}
