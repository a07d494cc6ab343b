using Microsoft.AspNetCore.Http;
using Rigging.Proxy.Routing;

namespace Rigging.Proxy.Http;

/// <summary>Builds a redirect's Location from the request and the parts the route replaces (Envoy's Utility::newUri).</summary>
internal static class Redirects
{
    public static string Location(HttpRequest request, RedirectActionModel redirect, string? matchedPrefix)
    {
        // The request's scheme is what the client used: x-forwarded-proto when an edge proxy set it.
        var requestScheme = request.Headers["x-forwarded-proto"] is { Count: > 0 } forwarded ? forwarded.ToString() : request.Scheme;
        var scheme = redirect.Scheme ?? requestScheme;
        var port = redirect.Port > 0 ? redirect.Port : 0;
        var host = redirect.Host ?? RequestHost(request.Host.Value ?? "", requestScheme, scheme, port > 0);
        var authority = port > 0 && port != DefaultPort(scheme) ? $"{host}:{port}" : host;

        var query = request.QueryString.Value ?? "";
        string path;
        if (redirect.Path is { } replaced)
        {
            // A query in path_redirect replaces the request's and is never stripped.
            if (replaced.Contains('?')) return $"{scheme}://{authority}{replaced}";
            path = replaced;
        }
        else
        {
            path = request.Path.HasValue ? request.Path.ToUriComponent() : "/";
            if (redirect.PrefixRewrite is { } prefix && matchedPrefix is not null && path.Length >= matchedPrefix.Length)
                path = prefix + path[matchedPrefix.Length..];
            else if (redirect.RegexRewrite is { } regex)
                path = regex.Pattern.Replace(path, regex.Substitution);
        }
        return $"{scheme}://{authority}{path}{(redirect.StripQuery ? "" : query)}";
    }

    /// <summary>
    /// The request's host for the new URL: its port goes when the redirect names a port, or when the scheme changes
    /// and the port was the default of the old scheme (http://a:80 → https://a, not https://a:80).
    /// </summary>
    private static string RequestHost(string host, string requestScheme, string scheme, bool newPort)
    {
        var colon = host.LastIndexOf(':');
        if (colon < 0 || host.IndexOf(']', colon) >= 0) return host;
        var requestPort = host.AsSpan(colon + 1);
        var remove = newPort;
        if (!string.Equals(scheme, requestScheme, StringComparison.OrdinalIgnoreCase))
        {
            remove |= requestScheme.Equals("https", StringComparison.OrdinalIgnoreCase) && requestPort.SequenceEqual("443");
            remove |= requestScheme.Equals("http", StringComparison.OrdinalIgnoreCase) && requestPort.SequenceEqual("80");
        }
        return remove ? host[..colon] : host;
    }

    private static int DefaultPort(string scheme) => scheme.Equals("https", StringComparison.OrdinalIgnoreCase) ? 443 : 80;

    /// <summary>require_tls: the same URL over https (Envoy answers 301).</summary>
    public static string Https(HttpRequest request)
    {
        var host = RequestHost(request.Host.Value ?? "", request.Scheme, "https", newPort: false);
        return $"https://{host}{request.Path.ToUriComponent()}{request.QueryString.Value}";
    }
}
