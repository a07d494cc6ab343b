namespace Rigging.Api.Security;

/// <summary>Matches requests by source, operation and conditions (all present parts must match).</summary>
public sealed record Rule
{
    public IReadOnlyList<RuleFrom>? From { get; init; }

    public IReadOnlyList<RuleTo>? To { get; init; }

    public IReadOnlyList<Condition>? When { get; init; }
}
