namespace Rigging.Api.Networking;

/// <summary>How the proxy finds the endpoints of a ServiceEntry.</summary>
public enum ServiceEntryResolution
{
    NONE,
    STATIC,
    DNS,
    DNS_ROUND_ROBIN,
    DYNAMIC_DNS,
}
