using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace Rigging.Proxy.Security.Tls;

/// <summary>Builds one x-forwarded-client-cert element in Envoy's key order (By, Hash, Cert, Chain, Subject, URI, DNS).</summary>
internal static class ForwardedElement
{
    public static string Build(X509Certificate2 local, X509Certificate2 peer, X509Certificate2Collection chain, ClientCertDetails details)
    {
        var parts = new List<string>();
        foreach (var uri in SubjectAltNames.Of(local).Uris) parts.Add("By=" + uri);
        parts.Add("Hash=" + Convert.ToHexStringLower(SHA256.HashData(peer.RawDataMemory.Span)));
        var peerNames = SubjectAltNames.Of(peer);
        if ((details & ClientCertDetails.Cert) != 0) parts.Add("Cert=\"" + Uri.EscapeDataString(peer.ExportCertificatePem() + "\n") + "\"");
        if ((details & ClientCertDetails.Chain) != 0)
        {
            var pem = new StringBuilder(peer.ExportCertificatePem()).Append('\n');
            foreach (var certificate in chain) pem.Append(certificate.ExportCertificatePem()).Append('\n');
            parts.Add("Chain=\"" + Uri.EscapeDataString(pem.ToString()) + "\"");
        }
        // The Subject and URI keys appear even when empty (Envoy's rule); DNS only when there are names.
        if ((details & ClientCertDetails.Subject) != 0) parts.Add("Subject=\"" + Rfc2253(peer.SubjectName) + "\"");
        if ((details & ClientCertDetails.Uri) != 0)
        {
            if (peerNames.Uris.Count == 0) parts.Add("URI=");
            foreach (var uri in peerNames.Uris) parts.Add("URI=" + uri);
        }
        if ((details & ClientCertDetails.Dns) != 0)
        {
            foreach (var dns in peerNames.DnsNames) parts.Add("DNS=" + dns);
        }
        return string.Join(';', parts);
    }

    /// <summary>The subject as OpenSSL prints it with XN_FLAG_RFC2253: most specific first, comma separated.</summary>
    private static string Rfc2253(X500DistinguishedName name)
    {
        var text = new StringBuilder();
        foreach (var rdn in name.EnumerateRelativeDistinguishedNames())
        {
            if (text.Length > 0) text.Append(',');
            var oid = rdn.GetSingleElementType();
            text.Append(ShortName(oid)).Append('=').Append(rdn.GetSingleElementValue());
        }
        return text.ToString();
    }

    private static string ShortName(System.Security.Cryptography.Oid oid) => oid.Value switch
    {
        "2.5.4.3" => "CN",
        "2.5.4.6" => "C",
        "2.5.4.7" => "L",
        "2.5.4.8" => "ST",
        "2.5.4.10" => "O",
        "2.5.4.11" => "OU",
        "0.9.2342.19200300.100.1.25" => "DC",
        _ => oid.Value ?? "",
    };
}
