using Microsoft.AspNetCore.Http;
using Rigging.Proxy.Routing;

namespace Rigging.Proxy.Http;

/// <summary>Builds a redirect's Location from the request and the parts the route replaces.</summary>
internal static class Redirects
{
    public static string Location(HttpRequest request, RedirectActionModel redirect, string? matchedPrefix)
    {
        var scheme = redirect.Scheme ?? request.Scheme;
        var host = redirect.Host ?? request.Host.Host;
        var port = redirect.Port > 0 ? redirect.Port : redirect.Host is null && redirect.Scheme is null ? request.Host.Port ?? 0 : 0;
        var path = request.Path.Value ?? "/";
        if (redirect.Path is { } replaced) path = replaced;
        else if (redirect.PrefixRewrite is { } prefix && matchedPrefix is not null && path.StartsWith(matchedPrefix, StringComparison.Ordinal))
            path = prefix + path[matchedPrefix.Length..];
        var defaultPort = scheme == "https" ? 443 : 80;
        var authority = port > 0 && port != defaultPort ? $"{host}:{port}" : host;
        var query = redirect.StripQuery || redirect.Path?.Contains('?') == true ? "" : request.QueryString.Value;
        return $"{scheme}://{authority}{path}{query}";
    }
}
