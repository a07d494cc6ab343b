using System.Text.RegularExpressions;

namespace Rigging.Proxy.Routing;

/// <summary>A compiled RedirectAction: the parts of the URL to replace and the status to answer with.</summary>
public sealed record RedirectActionModel : RouteActionModel
{
    /// <summary>scheme_redirect, or "https" for https_redirect; null keeps the request's scheme.</summary>
    public string? Scheme { get; init; }

    public string? Host { get; init; }

    /// <summary>port_redirect; zero keeps the request's port (when the scheme allows it).</summary>
    public int Port { get; init; }

    /// <summary>path_redirect: replaces the whole path (and the query, when it has one).</summary>
    public string? Path { get; init; }

    /// <summary>prefix_rewrite: replaces the matched prefix (or the matched path).</summary>
    public string? PrefixRewrite { get; init; }

    /// <summary>regex_rewrite, its substitution already in .NET syntax.</summary>
    public (Regex Pattern, string Substitution)? RegexRewrite { get; init; }

    public bool StripQuery { get; init; }

    public int StatusCode { get; init; } = 301;
}
