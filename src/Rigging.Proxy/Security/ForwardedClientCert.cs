using Microsoft.AspNetCore.Http;
using Rigging.Proxy.Listeners;
using Rigging.Proxy.Security.Tls;

namespace Rigging.Proxy.Security;

/// <summary>
/// x-forwarded-client-cert as Envoy's HttpConnectionManager handles it (forward_client_cert_details): ALWAYS_FORWARD_ONLY
/// leaves it; SANITIZE, or any request not on a mutual TLS connection, removes it; FORWARD_ONLY keeps it;
/// APPEND_FORWARD appends and SANITIZE_SET replaces it with this hop's element
/// <c>By=&lt;our URI SAN&gt;;Hash=&lt;sha256 of the peer cert&gt;[;Cert=..][;Chain=..][;Subject=".."][;URI=..][;DNS=..]</c>.
/// The element is built once per connection.
/// </summary>
public static class ForwardedClientCert
{
    public const string HeaderName = "x-forwarded-client-cert";

    public static void Apply(HttpContext context, HttpConnectionManagerModel hcm)
    {
        var mode = hcm.ForwardClientCert;
        if (mode == ForwardClientCertMode.AlwaysForwardOnly) return;
        var headers = context.Request.Headers;
        var tls = mode == ForwardClientCertMode.Sanitize ? null : context.Features.Get<TlsConnectionFeature>();
        if (tls?.ClientCertificate is null)
        {
            if (headers.ContainsKey(HeaderName)) headers.Remove(HeaderName);
            return;
        }
        if (mode == ForwardClientCertMode.ForwardOnly) return;
        var element = tls.ForwardedElement(hcm.ClientCertDetails);
        headers[HeaderName] = mode == ForwardClientCertMode.AppendForward && headers.TryGetValue(HeaderName, out var existing) && existing.Count > 0
            ? existing.ToString() + "," + element
            : element;
    }
}
