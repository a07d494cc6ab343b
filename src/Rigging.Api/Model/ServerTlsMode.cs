namespace Rigging.Api.Model;

/// <summary>How a server-side listener handles TLS.</summary>
public enum ServerTlsMode
{
    PASSTHROUGH,
    SIMPLE,
    MUTUAL,
    AUTO_PASSTHROUGH,
    ISTIO_MUTUAL,
    OPTIONAL_MUTUAL,
}
