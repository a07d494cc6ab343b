namespace Rigging.Api.Networking;

/// <summary>How traffic reaches a sidecar listener.</summary>
public enum CaptureMode
{
    DEFAULT,
    IPTABLES,
    NONE,
}
