using Rigging.Api.Model;

namespace Rigging.Api.Networking;

/// <summary>Spec of a Sidecar: the ports and hosts a workload's proxy handles.</summary>
public sealed record Sidecar
{
    public NetworkingWorkloadSelector? WorkloadSelector { get; init; }

    public IReadOnlyList<IstioIngressListener>? Ingress { get; init; }

    public IReadOnlyList<IstioEgressListener>? Egress { get; init; }

    public ConnectionPoolSettings? InboundConnectionPool { get; init; }

    public OutboundTrafficPolicy? OutboundTrafficPolicy { get; init; }
}
