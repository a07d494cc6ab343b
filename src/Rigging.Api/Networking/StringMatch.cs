namespace Rigging.Api.Networking;

/// <summary>Matches a string exactly, by prefix, or by RE2 regex (set exactly one).</summary>
public sealed record StringMatch
{
    public string? Exact { get; init; }

    public string? Prefix { get; init; }

    public string? Regex { get; init; }
}
