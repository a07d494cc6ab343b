using Rigging.Xds.Cache;

namespace Rigging.Xds.Server;

/// <summary>
/// Which resources of one type a stream wants, with Envoy's wildcard rules: "*" asks for everything; for
/// listeners and clusters an empty first request does too (legacy wildcard), and stays so while the client
/// keeps sending empty lists.
/// </summary>
internal sealed class Subscription(string typeUrl)
{
    private readonly HashSet<string> _names = new(StringComparer.Ordinal);
    private bool _legacyWildcard;

    public bool Wildcard { get; private set; }

    public IReadOnlySet<string> Names => _names;

    /// <summary>SotW: the request's resource_names replace the subscription. True when it changed.</summary>
    public bool Replace(IReadOnlyCollection<string> names, bool firstRequest)
    {
        bool wasWildcard = Wildcard;
        bool legacy = names.Count == 0 && TypeUrls.IsWildcardType(typeUrl) && (firstRequest || _legacyWildcard);
        _legacyWildcard = legacy;
        Wildcard = legacy || names.Contains("*");
        var next = names.Where(n => n != "*").ToHashSet(StringComparer.Ordinal);
        bool changed = wasWildcard != Wildcard || !next.SetEquals(_names);
        _names.Clear();
        _names.UnionWith(next);
        return changed;
    }

    /// <summary>Delta: subscribe and unsubscribe lists adjust the subscription.</summary>
    public void Adjust(IEnumerable<string> subscribe, IEnumerable<string> unsubscribe, bool firstRequest, bool subscribeWasEmpty)
    {
        if (firstRequest && subscribeWasEmpty && TypeUrls.IsWildcardType(typeUrl))
        {
            Wildcard = true;
        }

        foreach (string name in subscribe)
        {
            if (name == "*")
            {
                Wildcard = true;
            }
            else
            {
                _names.Add(name);
            }
        }

        foreach (string name in unsubscribe)
        {
            if (name == "*")
            {
                Wildcard = false;
            }
            else
            {
                _names.Remove(name);
            }
        }
    }

    /// <summary>The snapshot's resources this subscription covers, in name order.</summary>
    public List<CachedResource> Select(ResourceSet set)
    {
        var selected = new List<CachedResource>();
        if (Wildcard)
        {
            selected.AddRange(set.Resources.Values);
        }
        else
        {
            foreach (string name in _names)
            {
                if (set.Resources.TryGetValue(name, out var resource))
                {
                    selected.Add(resource);
                }
            }
        }

        selected.Sort(static (a, b) => string.CompareOrdinal(a.Name, b.Name));
        return selected;
    }

    public bool Covers(string name) => Wildcard || _names.Contains(name);
}
