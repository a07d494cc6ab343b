namespace Rigging.Api.Networking;

/// <summary>Replaces what an RE2 regex matches in the path.</summary>
public sealed record RegexRewrite
{
    public string? Match { get; init; }

    public string? Rewrite { get; init; }
}
