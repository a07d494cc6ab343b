namespace Rigging.Proxy.Routing;

/// <summary>A compiled RedirectAction: the parts of the URL to replace and the status to answer with.</summary>
public sealed record RedirectActionModel : RouteActionModel
{
    public string? Scheme { get; init; }
    public string? Host { get; init; }
    public int Port { get; init; }
    public string? Path { get; init; }
    public string? PrefixRewrite { get; init; }
    public bool StripQuery { get; init; }
    public int StatusCode { get; init; } = 301;
}
