namespace Rigging.Api.Networking;

/// <summary>Whether and how connections to the upstream use TLS.</summary>
public enum ClientTlsMode
{
    DISABLE,
    SIMPLE,
    MUTUAL,
    ISTIO_MUTUAL,
}
