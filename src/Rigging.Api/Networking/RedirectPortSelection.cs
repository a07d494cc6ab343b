namespace Rigging.Api.Networking;

/// <summary>Where a redirect takes its port from.</summary>
public enum RedirectPortSelection
{
    FROM_PROTOCOL_DEFAULT,
    FROM_REQUEST_PORT,
}
