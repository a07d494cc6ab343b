namespace Rigging.Api.Networking;

/// <summary>Sends a PROXY protocol header to the upstream.</summary>
public sealed record ProxyProtocolSettings
{
    public ProxyProtocolVersion? Version { get; init; }
}
