using System.Collections.Immutable;
using System.Text.RegularExpressions;

namespace Rigging.Proxy.Routing;

/// <summary>A compiled RouteAction: which cluster(s), how to rewrite, and how long and how often to try.</summary>
public sealed record ForwardAction(WeightedClusterChoice Clusters) : RouteActionModel
{
    /// <summary>cluster_header: the cluster is named by this request header (Clusters is then empty).</summary>
    public string? ClusterHeader { get; init; }

    /// <summary>cluster_not_found_response_code: 503 (Envoy's default), 404 or 500.</summary>
    public int ClusterNotFoundStatus { get; init; } = 503;

    /// <summary>Zero: no timeout (Istio disables Envoy's 15 s default unless a VirtualService sets one).</summary>
    public TimeSpan Timeout { get; init; }

    public string? PrefixRewrite { get; init; }

    /// <summary>regex_rewrite, its substitution already in .NET syntax (<c>\1</c> → <c>${1}</c>).</summary>
    public (Regex Pattern, string Substitution)? RegexRewrite { get; init; }

    public string? HostRewrite { get; init; }

    /// <summary>auto_host_rewrite: the Host upstream becomes the chosen endpoint's address.</summary>
    public bool AutoHostRewrite { get; init; }

    public RetryPolicyModel? Retry { get; init; }

    public ImmutableArray<MirrorPolicy> Mirrors { get; init; } = [];

    /// <summary>How to hash the request for ring hash and maglev clusters; null when the route sets no policy.</summary>
    public HashPolicyModel? Hash { get; init; }
}

/// <summary>Shadow a fraction of requests to another cluster (fire and forget).</summary>
public sealed record MirrorPolicy(string Cluster, double Fraction);
