using System.Formats.Asn1;
using System.Net;
using System.Security.Cryptography.X509Certificates;

namespace Rigging.Proxy.Security.Tls;

/// <summary>
/// The subject alternative names of a certificate by kind. The BCL's extension type exposes DNS names and IP
/// addresses but not URIs (SPIFFE ids), so GeneralNames (RFC 5280 4.2.1.6) is read here; a malformed extension
/// yields no names rather than an exception.
/// </summary>
internal sealed record SubjectAltNames(IReadOnlyList<string> Uris, IReadOnlyList<string> DnsNames, IReadOnlyList<string> Emails, IReadOnlyList<string> IpAddresses)
{
    private const string ExtensionOid = "2.5.29.17";
    private static readonly SubjectAltNames None = new([], [], [], []);

    public static SubjectAltNames Of(X509Certificate2 certificate)
    {
        foreach (var extension in certificate.Extensions)
        {
            if (extension.Oid?.Value == ExtensionOid) return Parse(extension.RawData);
        }
        return None;
    }

    private static SubjectAltNames Parse(byte[] der)
    {
        List<string> uris = [], dns = [], emails = [], ips = [];
        try
        {
            var sequence = new AsnReader(der, AsnEncodingRules.DER).ReadSequence();
            while (sequence.HasData)
            {
                var tag = sequence.PeekTag();
                if (tag.TagClass != TagClass.ContextSpecific)
                {
                    sequence.ReadEncodedValue();
                    continue;
                }
                switch (tag.TagValue)
                {
                    case 1: emails.Add(sequence.ReadCharacterString(UniversalTagNumber.IA5String, tag)); break;
                    case 2: dns.Add(sequence.ReadCharacterString(UniversalTagNumber.IA5String, tag)); break;
                    case 6: uris.Add(sequence.ReadCharacterString(UniversalTagNumber.IA5String, tag)); break;
                    case 7: ips.Add(new IPAddress(sequence.ReadOctetString(tag)).ToString()); break;
                    default: sequence.ReadEncodedValue(); break;
                }
            }
        }
        catch (Exception e) when (e is AsnContentException or ArgumentException)
        {
            return None;
        }
        return new SubjectAltNames(uris, dns, emails, ips);
    }
}
