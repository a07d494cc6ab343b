using System.Collections.Immutable;

namespace Rigging.ControlPlane.Model;

/// <summary>
/// A running instance of a workload: a proxy that registered itself, a WorkloadEntry, or a ServiceEntry endpoint.
/// Traffic for it goes to <see cref="Address"/> at its inbound port when it has a proxy, else at the target port.
/// </summary>
public sealed record WorkloadInstance
{
    public required string Name { get; init; }

    public required string Namespace { get; init; }

    public required string Address { get; init; }

    public ImmutableDictionary<string, string> Labels { get; init; } = ImmutableDictionary<string, string>.Empty;

    public string ServiceAccount { get; init; } = "default";

    /// <summary>The port its sidecar accepts inbound traffic on; null when it has no proxy.</summary>
    public int? InboundPort { get; init; }

    /// <summary>Named ports (WorkloadEntry.ports) that override a service's target port.</summary>
    public ImmutableDictionary<string, int> Ports { get; init; } = ImmutableDictionary<string, int>.Empty;

    public uint Weight { get; init; } = 1;

    public string Locality { get; init; } = "";

    /// <summary>The proxy's node id when it registered itself.</summary>
    public string? NodeId { get; init; }

    public bool Matches(IReadOnlyDictionary<string, string> selector) => LabelSelector.Matches(Labels, selector);
}
