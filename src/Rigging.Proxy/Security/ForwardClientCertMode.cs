namespace Rigging.Proxy.Security;

/// <summary>HttpConnectionManager.forward_client_cert_details, with Envoy's values.</summary>
public enum ForwardClientCertMode
{
    Sanitize = 0,
    ForwardOnly = 1,
    AppendForward = 2,
    SanitizeSet = 3,
    AlwaysForwardOnly = 4,
}
