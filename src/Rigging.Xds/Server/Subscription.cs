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
    private string[]? _lastRequested;

    // The last selection and the set it was made from: an ACK round, or a snapshot that kept this type's set
    // (a push that changed other types), selects nothing anew. Cleared whenever the subscription changes.
    private ResourceSet? _selectedFrom;
    private PreparedResponse? _selected;

    public bool Wildcard { get; private set; }

    public IReadOnlySet<string> Names => _names;

    /// <summary>SotW: the request's resource_names replace the subscription. True when it changed.</summary>
    public bool Replace(IReadOnlyCollection<string> names, bool firstRequest)
    {
        // An ACK repeats the list it answers, in the same order: the same list changes nothing, not even the
        // legacy wildcard (an empty list keeps it as it was), so it costs a comparison and no set.
        if (_lastRequested is not null && names.SequenceEqual(_lastRequested, StringComparer.Ordinal))
        {
            return false;
        }

        _lastRequested = [.. names];
        bool wasWildcard = Wildcard;
        bool legacy = names.Count == 0 && TypeUrls.IsWildcardType(typeUrl) && (firstRequest || _legacyWildcard);
        _legacyWildcard = legacy;
        Wildcard = legacy || names.Contains("*");
        var next = names.Where(n => n != "*").ToHashSet(StringComparer.Ordinal);
        bool changed = wasWildcard != Wildcard || !next.SetEquals(_names);
        if (changed)
        {
            _names.Clear();
            _names.UnionWith(next);
            _selectedFrom = null;
        }
        return changed;
    }

    /// <summary>Delta: subscribe and unsubscribe lists adjust the subscription.</summary>
    public void Adjust(IEnumerable<string> subscribe, IEnumerable<string> unsubscribe, bool firstRequest, bool subscribeWasEmpty)
    {
        _selectedFrom = null;
        _lastRequested = null;
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

    /// <summary>
    /// The set's resources this subscription covers, in name order, with their version and serialized response,
    /// shared with every other stream that selects the same resources of this set.
    /// </summary>
    public PreparedResponse Select(ResourceSet set)
    {
        if (ReferenceEquals(set, _selectedFrom)) return _selected!;
        if (Wildcard)
        {
            _selected = set.Response;
        }
        else
        {
            var chosen = new List<CachedResource>(Math.Min(_names.Count, set.Resources.Count));
            if (_names.Count * 4 < set.Sorted.Count)
            {
                foreach (string name in _names)
                {
                    if (set.Resources.TryGetValue(name, out var resource)) chosen.Add(resource);
                }
                chosen.Sort(static (a, b) => string.CompareOrdinal(a.Name, b.Name));
            }
            else
            {
                foreach (var resource in set.Sorted)
                {
                    if (_names.Contains(resource.Name)) chosen.Add(resource);
                }
            }
            _selected = set.Subset(chosen);
        }
        _selectedFrom = set;
        return _selected;
    }

    public bool Covers(string name) => Wildcard || _names.Contains(name);
}
