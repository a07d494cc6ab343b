using System.Collections.Frozen;
using System.Collections.Immutable;

namespace Rigging.Proxy.Routing;

/// <summary>
/// A compiled RouteConfiguration. Virtual hosts are found by the request's authority as Envoy does: an exact
/// domain first, then the longest suffix wildcard (<c>*.example.com</c>), then the longest prefix wildcard
/// (<c>example.*</c>), then <c>*</c>; a domain with a port matches only that port.
/// </summary>
public sealed class RouteTable
{
    private readonly FrozenDictionary<string, VirtualHostModel> _exact;
    private readonly ImmutableArray<(string Suffix, VirtualHostModel Host)> _suffixes;
    private readonly ImmutableArray<(string Prefix, VirtualHostModel Host)> _prefixes;
    private readonly VirtualHostModel? _default;

    public RouteTable(string name, ImmutableArray<VirtualHostModel> virtualHosts)
    {
        Name = name;
        VirtualHosts = virtualHosts;
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
        _suffixes = [.. suffixes.OrderByDescending(s => s.Item1.Length)];
        _prefixes = [.. prefixes.OrderByDescending(p => p.Item1.Length)];
    }

    public string Name { get; }

    public ImmutableArray<VirtualHostModel> VirtualHosts { get; }

    public HeaderMutation RequestHeaders { get; init; } = HeaderMutation.None;

    public HeaderMutation ResponseHeaders { get; init; } = HeaderMutation.None;

    public VirtualHostModel? FindVirtualHost(string authority)
    {
        if (_exact.TryGetValue(authority, out var host)) return host;
        var found = FindWildcard(authority);
        if (found is not null) return found;
        // "reviews:9080" also matches domains written without the port.
        var colon = authority.LastIndexOf(':');
        if (colon > 0 && authority.IndexOf(']', colon) < 0)
        {
            var bare = authority[..colon];
            if (_exact.TryGetValue(bare, out host)) return host;
            found = FindWildcard(bare);
            if (found is not null) return found;
        }
        return _default;
    }

    private VirtualHostModel? FindWildcard(string authority)
    {
        foreach (var (suffix, host) in _suffixes)
        {
            if (authority.Length > suffix.Length && authority.EndsWith(suffix, StringComparison.OrdinalIgnoreCase)) return host;
        }
        foreach (var (prefix, host) in _prefixes)
        {
            if (authority.Length > prefix.Length && authority.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)) return host;
        }
        return null;
    }
}
