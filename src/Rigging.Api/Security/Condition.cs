namespace Rigging.Api.Security;

/// <summary>An extra condition on a request attribute, such as a JWT claim.</summary>
public sealed record Condition
{
    public string? Key { get; init; }

    public IReadOnlyList<string>? Values { get; init; }

    public IReadOnlyList<string>? NotValues { get; init; }
}
