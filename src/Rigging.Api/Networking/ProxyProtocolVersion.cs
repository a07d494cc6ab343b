namespace Rigging.Api.Networking;

/// <summary>PROXY protocol version.</summary>
public enum ProxyProtocolVersion
{
    V1,
    V2,
}
