using System.Collections.Immutable;

namespace Rigging.ControlPlane.Model;

/// <summary>What the control plane knows of one connected proxy (from its xDS node metadata).</summary>
public sealed record ProxyView
{
    public required string NodeId { get; init; }

    public required ProxyKind Kind { get; init; }

    public required string Namespace { get; init; }

    public string Workload { get; init; } = "";

    public ImmutableDictionary<string, string> Labels { get; init; } = ImmutableDictionary<string, string>.Empty;

    public string ServiceAccount { get; init; } = "default";

    public string Address { get; init; } = "127.0.0.1";

    public int? InboundPort { get; init; }

    public int? AppPort { get; init; }

    public int? OutboundPort { get; init; }

    /// <summary>True when the selector picks this proxy's workload.</summary>
    public bool Matches(IReadOnlyDictionary<string, string> selector) => LabelSelector.Matches(Labels, selector);
}

/// <summary>What kind of xDS client it is: a sidecar, a gateway, or a proxyless gRPC application.</summary>
public enum ProxyKind
{
    Sidecar,
    Gateway,
    ProxylessGrpc,
}
