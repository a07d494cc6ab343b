using System.Formats.Asn1;
using System.Security.Cryptography.X509Certificates;

namespace Rigging.ControlPlane.Security;

/// <summary>
/// Renewal by certificate (Istio's client-certificate authenticator): a workload that still holds a valid
/// certificate from this CA may get a new one for the same identity without its bootstrap token, so a
/// long-running proxy keeps its identity after the token it started with has expired.
/// </summary>
public sealed partial class CertificateAuthority
{
    private const string SanOid = "2.5.29.17";

    /// <summary>
    /// The identity a client certificate proves: it must chain to this CA's root now and carry exactly one URI SAN
    /// <c>spiffe://&lt;this trust domain&gt;/ns/NS/sa/SA</c>. Null with the reason otherwise.
    /// </summary>
    public SpiffeId? IdentityOf(X509Certificate2 presented, out string? problem)
    {
        ArgumentNullException.ThrowIfNull(presented);
        if (ChainProblem(presented, Intermediates, Root, _options.TimeProvider) is { } chain)
        {
            problem = $"the client certificate does not chain to this CA's root: {chain}";
            return null;
        }

        var uris = UriNames(presented);
        if (uris.Count != 1)
        {
            problem = $"the client certificate must carry exactly one URI SAN, not {uris.Count}";
            return null;
        }

        var parsed = ParseSpiffe(uris[0]);
        if (parsed is null || parsed.TrustDomain != TrustDomain)
        {
            problem = $"the client certificate's identity {uris[0]} is not a workload of trust domain {TrustDomain}";
            return null;
        }

        problem = null;
        return parsed;
    }

    private static List<string> UriNames(X509Certificate2 cert)
    {
        // Our own certificates (the chain was checked above), so the SAN parses; anything odd simply has no URI.
        var names = new List<string>();
        var uriTag = new Asn1Tag(TagClass.ContextSpecific, 6);
        foreach (var extension in cert.Extensions)
        {
            if (extension.Oid?.Value != SanOid) continue;
            try
            {
                var reader = new AsnReader(extension.RawData, AsnEncodingRules.DER).ReadSequence();
                while (reader.HasData)
                {
                    if (reader.PeekTag() == uriTag) names.Add(reader.ReadCharacterString(UniversalTagNumber.IA5String, uriTag));
                    else reader.ReadEncodedValue();
                }
            }
            catch (AsnContentException)
            {
                return [];
            }
        }
        return names;
    }

    private static SpiffeId? ParseSpiffe(string uri)
    {
        // spiffe://TD/ns/NS/sa/SA, nothing more and nothing less.
        const string scheme = "spiffe://";
        if (!uri.StartsWith(scheme, StringComparison.Ordinal)) return null;
        var parts = uri[scheme.Length..].Split('/');
        if (parts.Length != 5 || parts[1] != "ns" || parts[3] != "sa" || parts.Any(p => p.Length == 0)) return null;
        return new SpiffeId(parts[0], parts[2], parts[4]);
    }
}
