using System.Globalization;

namespace Rigging.Api.Validation;

/// <summary>
/// URL checks as Istio makes them. The CRDs' CEL <c>isURL</c>/<c>url()</c> and istiod both use Go's
/// <c>url.ParseRequestURI</c>, so this follows its grammar: an absolute URI or an absolute path, no fragment,
/// a host without stray characters and a numeric port.
/// </summary>
internal static class UrlRules
{
    /// <summary>The lower-cased scheme ("" for an absolute path) when the text parses as a request URI; null otherwise.</summary>
    public static string? RequestUriScheme(string text)
    {
        if (text.Length == 0) return null;
        foreach (var c in text)
        {
            if (c < 0x20 || c == 0x7f) return null;
        }
        if (!TrySplitScheme(text, out var scheme, out var rest)) return null;
        var query = rest.IndexOf('?');
        if (query >= 0) rest = rest[..query];
        if (!rest.StartsWith('/')) return scheme.Length == 0 ? null : scheme; // "mailto:x" is opaque, and fine
        if (scheme.Length > 0 && rest.StartsWith("//", StringComparison.Ordinal))
        {
            var authorityEnd = rest.IndexOf('/', 2);
            var authority = authorityEnd < 0 ? rest[2..] : rest[2..authorityEnd];
            if (!IsAuthority(authority)) return null;
            rest = authorityEnd < 0 ? "" : rest[authorityEnd..];
        }
        return HasValidEscapes(rest) ? scheme : null;
    }

    private static bool TrySplitScheme(string text, out string scheme, out string rest)
    {
        scheme = "";
        rest = text;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsAsciiLetter(c)) continue;
            if (char.IsAsciiDigit(c) || c is '+' or '-' or '.')
            {
                if (i == 0) return true;
                continue;
            }
            if (c == ':')
            {
                if (i == 0) return false; // "missing protocol scheme"
                scheme = text[..i].ToLowerInvariant();
                rest = text[(i + 1)..];
            }
            return true;
        }
        return true;
    }

    private static bool IsAuthority(string authority)
    {
        var at = authority.LastIndexOf('@');
        var host = at < 0 ? authority : authority[(at + 1)..];
        if (at >= 0 && !IsUserInfo(authority[..at])) return false;
        if (host.StartsWith('['))
        {
            var close = host.LastIndexOf(']');
            if (close < 0) return false;
            return IsOptionalPort(host[(close + 1)..]) && HasValidEscapes(host[..(close + 1)]);
        }
        var colon = host.LastIndexOf(':');
        if (colon >= 0 && !IsOptionalPort(host[colon..])) return false;
        foreach (var c in host)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c >= 0x80 || "-._~!$&'()*+,;=:<>\"%".Contains(c))) return false;
        }
        return HasValidEscapes(host);
    }

    private static bool IsUserInfo(string userInfo)
    {
        foreach (var c in userInfo)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || "-._:~!$&'()*+,;=%@".Contains(c))) return false;
        }
        return HasValidEscapes(userInfo);
    }

    /// <summary>":" followed by digits only, or nothing.</summary>
    private static bool IsOptionalPort(string port)
    {
        if (port.Length == 0) return true;
        if (port[0] != ':') return false;
        foreach (var c in port.AsSpan(1))
        {
            if (!char.IsAsciiDigit(c)) return false;
        }
        return true;
    }

    /// <summary>Every '%' starts a two-digit hex escape.</summary>
    private static bool HasValidEscapes(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] != '%') continue;
            if (i + 2 >= text.Length || !byte.TryParse(text.AsSpan(i + 1, 2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out _))
                return false;
            i += 2;
        }
        return true;
    }
}
