using Rigging.Proxy.Routing;

namespace Rigging.Proxy.Security.Tls;

/// <summary>The kinds of subject alternative name a matcher can look at (Envoy's SubjectAltNameMatcher.SanType).</summary>
internal enum SanType
{
    /// <summary>match_subject_alt_names (untyped): any SAN kind.</summary>
    Any,
    Email,
    Dns,
    Uri,
    IpAddress,
}

/// <summary>One compiled SAN matcher: a peer certificate passes when any of its SANs of this type matches.</summary>
internal sealed record SanMatcherModel(SanType Type, StringMatcherModel Matcher)
{
    public bool Matches(SubjectAltNames names) => Type switch
    {
        SanType.Uri => Any(names.Uris),
        SanType.Dns => Any(names.DnsNames),
        SanType.Email => Any(names.Emails),
        SanType.IpAddress => Any(names.IpAddresses),
        _ => Any(names.Uris) || Any(names.DnsNames) || Any(names.Emails) || Any(names.IpAddresses),
    };

    private bool Any(IReadOnlyList<string> values)
    {
        foreach (var value in values)
        {
            if (Matcher.Matches(value)) return true;
        }
        return false;
    }
}
