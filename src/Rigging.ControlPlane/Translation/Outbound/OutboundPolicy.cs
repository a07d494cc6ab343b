using Rigging.Api.Networking;
using Rigging.ControlPlane.Model;

namespace Rigging.ControlPlane.Translation.Outbound;

/// <summary>
/// What a sidecar does with traffic to a host or port the mesh does not know, as Istio's SidecarScope decides it:
/// the Sidecar that applies wins when it sets outboundTrafficPolicy (an unset mode there is REGISTRY_ONLY, the API's
/// zero value), else meshConfig.outboundTrafficPolicy.mode (ALLOW_ANY unless configured). Allowed traffic goes to
/// <see cref="EgressCluster"/>: PassthroughCluster, or the egressProxy's cluster when the Sidecar names one.
/// </summary>
internal sealed record OutboundPolicy(bool AllowAny, string EgressCluster)
{
    private static readonly OutboundPolicy Passthrough = new(true, ClusterNames.Passthrough);
    private static readonly OutboundPolicy RegistryOnly = new(false, ClusterNames.BlackHole);

    public static OutboundPolicy For(ProxyView proxy, PushContext push)
    {
        if (Visibility.SidecarFor(proxy, push)?.OutboundTrafficPolicy is not { } policy) return push.Mesh.AllowAny ? Passthrough : RegistryOnly;
        if (policy.Mode != OutboundTrafficPolicyMode.ALLOW_ANY) return RegistryOnly;
        // Istio names the egress proxy's cluster from the destination as written (its port is required by validation).
        return policy.EgressProxy is { Host: { Length: > 0 } host } egress
            ? new OutboundPolicy(true, ClusterNames.Outbound(host, (int)(egress.Port?.Number ?? 0), egress.Subset is { Length: > 0 } subset ? subset : null))
            : Passthrough;
    }
}
