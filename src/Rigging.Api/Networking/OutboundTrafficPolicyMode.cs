namespace Rigging.Api.Networking;

/// <summary>Whether unknown outbound destinations are blocked or passed through.</summary>
public enum OutboundTrafficPolicyMode
{
    REGISTRY_ONLY,
    ALLOW_ANY,
}
