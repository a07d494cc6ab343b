using System.Collections.Immutable;

namespace Rigging.ControlPlane.Push;

/// <summary>
/// What changed since the last push (Istio's PushRequest): config kinds (a full push), service hosts whose endpoints
/// changed (an endpoint-only push when nothing else did), and proxies that just connected and need their first
/// snapshot. Requests merge while they wait in the debouncer.
/// </summary>
public sealed record PushRequest
{
    public static PushRequest Empty { get; } = new();

    /// <summary>Config changed: every proxy is regenerated.</summary>
    public bool Full { get; init; }

    public ImmutableHashSet<string> Kinds { get; init; } = ImmutableHashSet.Create<string>(StringComparer.Ordinal);

    /// <summary>Services whose instances changed (hosts, or namespaces' services when instances came or went).</summary>
    public bool EndpointsChanged { get; init; }

    /// <summary>Proxies to regenerate whatever else changed (new connections).</summary>
    public ImmutableHashSet<string> Proxies { get; init; } = ImmutableHashSet.Create<string>(StringComparer.Ordinal);

    /// <summary>How many changes were merged into this request.</summary>
    public int Merged { get; init; } = 1;

    public bool EndpointsOnly => !Full && EndpointsChanged;

    /// <summary>
    /// Kinds that only add or remove workload instances: a change to them alone is an endpoint-only push. (Instances
    /// can still change clusters, e.g. auto mTLS; <see cref="XdsPusher"/> regenerates everything for the services
    /// where they do.)
    /// </summary>
    public static IReadOnlySet<string> EndpointKinds { get; } = new HashSet<string>(["WorkloadEntry"], StringComparer.Ordinal);

    /// <summary>A config change: a full push, unless every kind changed is an <see cref="EndpointKinds"/> kind.</summary>
    public static PushRequest ForConfig(IEnumerable<string> kinds)
    {
        var set = kinds.ToImmutableHashSet(StringComparer.Ordinal);
        return set.Count > 0 && set.All(EndpointKinds.Contains)
            ? new PushRequest { Kinds = set, EndpointsChanged = true }
            : new PushRequest { Full = true, Kinds = set };
    }

    public static PushRequest ForEndpoints() => new() { EndpointsChanged = true };

    public static PushRequest ForProxy(string nodeId) => new() { Proxies = ImmutableHashSet.Create(StringComparer.Ordinal, nodeId) };

    public PushRequest Merge(PushRequest other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return new PushRequest
        {
            Full = Full || other.Full,
            Kinds = Kinds.Union(other.Kinds),
            EndpointsChanged = EndpointsChanged || other.EndpointsChanged,
            Proxies = Proxies.Union(other.Proxies),
            Merged = Merged + other.Merged,
        };
    }

    public override string ToString() =>
        Full ? $"full ({string.Join(",", Kinds.Order(StringComparer.Ordinal))})"
        : EndpointsChanged ? (Kinds.Count > 0 ? $"endpoints ({string.Join(",", Kinds.Order(StringComparer.Ordinal))})" : "endpoints")
        : $"proxies ({Proxies.Count})";
}
