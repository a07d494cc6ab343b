using Rigging.Api.Model;

namespace Rigging.Api.Networking;

/// <summary>What a sidecar does with traffic to hosts it does not know.</summary>
public sealed record OutboundTrafficPolicy
{
    public OutboundTrafficPolicyMode? Mode { get; init; }

    public Destination? EgressProxy { get; init; }
}
