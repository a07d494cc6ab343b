using System.Collections.Frozen;
using System.Collections.Immutable;

namespace Rigging.Proxy.Routing;

/// <summary>
/// A compiled RouteConfiguration. Virtual hosts are found by the request's authority as Envoy does
/// (RouteMatcher::findVirtualHost): case-insensitively, an exact domain first, then the longest suffix wildcard
/// (<c>*.example.com</c>, <c>*-bar.example.com</c>), then the longest prefix wildcard (<c>example.*</c>), then
/// <c>*</c>. A wildcard matches at least one character. The port is part of the authority: <c>reviews:9080</c>
/// matches the domain <c>reviews:9080</c> (or <c>reviews:*</c>), not <c>reviews</c>, unless
/// ignore_port_in_host_matching strips it first.
/// </summary>
public sealed class RouteTable
{
    private readonly FrozenDictionary<string, VirtualHostModel> _exact;
    private readonly ImmutableArray<(string Suffix, VirtualHostModel Host)> _suffixes;
    private readonly ImmutableArray<(string Prefix, VirtualHostModel Host)> _prefixes;
    private readonly VirtualHostModel? _default;
    private readonly bool _onlyDefault;

    /// <summary>Builds the lookup; domains are assumed unique (the compiler rejects duplicates).</summary>
    public RouteTable(string name, ImmutableArray<VirtualHostModel> virtualHosts, bool ignorePortInHostMatching = false)
    {
        Name = name;
        VirtualHosts = virtualHosts;
        IgnorePortInHostMatching = ignorePortInHostMatching;
        var exact = new Dictionary<string, VirtualHostModel>(StringComparer.OrdinalIgnoreCase);
        var suffixes = new List<(string, VirtualHostModel)>();
        var prefixes = new List<(string, VirtualHostModel)>();
        foreach (var host in virtualHosts)
        {
            foreach (var domain in host.Domains)
            {
                if (domain == "*") _default ??= host;
                else if (domain.StartsWith('*')) suffixes.Add((domain[1..], host));
                else if (domain.EndsWith('*')) prefixes.Add((domain[..^1], host));
                else exact.TryAdd(domain, host);
            }
        }
        _exact = exact.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);
        // Longest first; equal lengths keep config order (a stable sort), so the result is deterministic.
        _suffixes = [.. suffixes.OrderByDescending(s => s.Item1.Length)];
        _prefixes = [.. prefixes.OrderByDescending(p => p.Item1.Length)];
        _onlyDefault = exact.Count == 0 && suffixes.Count == 0 && prefixes.Count == 0;
    }

    public string Name { get; }

    public ImmutableArray<VirtualHostModel> VirtualHosts { get; }

    public bool IgnorePortInHostMatching { get; }

    public HeaderMutation RequestHeaders { get; init; } = HeaderMutation.None;

    public HeaderMutation ResponseHeaders { get; init; } = HeaderMutation.None;

    public VirtualHostModel? FindVirtualHost(string authority)
    {
        if (_onlyDefault) return _default;
        if (IgnorePortInHostMatching) authority = StripPort(authority);
        if (_exact.TryGetValue(authority, out var host)) return host;
        foreach (var (suffix, candidate) in _suffixes)
        {
            if (authority.Length > suffix.Length && authority.EndsWith(suffix, StringComparison.OrdinalIgnoreCase)) return candidate;
        }
        foreach (var (prefix, candidate) in _prefixes)
        {
            if (authority.Length > prefix.Length && authority.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)) return candidate;
        }
        return _default;
    }

    /// <summary>"host:port" → "host"; "[::1]:80" → "[::1]"; a bare IPv6 literal in brackets stays whole.</summary>
    private static string StripPort(string authority)
    {
        var colon = authority.LastIndexOf(':');
        if (colon < 0) return authority;
        var bracket = authority.LastIndexOf(']');
        if (bracket > colon) return authority;
        if (authority[0] != '[' && authority.IndexOf(':') != colon) return authority;
        return authority[..colon];
    }
}
