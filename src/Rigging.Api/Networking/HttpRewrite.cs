namespace Rigging.Api.Networking;

/// <summary>Rewrites the path and/or authority before forwarding.</summary>
public sealed record HttpRewrite
{
    public string? Uri { get; init; }

    public string? Authority { get; init; }

    public RegexRewrite? UriRegexRewrite { get; init; }
}
