namespace Rigging.Proxy.Security;

/// <summary>HttpConnectionManager.set_current_client_cert_details: the peer certificate fields put in x-forwarded-client-cert.</summary>
[Flags]
public enum ClientCertDetails
{
    None = 0,
    Subject = 1,
    Cert = 2,
    Chain = 4,
    Dns = 8,
    Uri = 16,
}
