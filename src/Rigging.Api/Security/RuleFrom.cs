namespace Rigging.Api.Security;

/// <summary>One source clause of a rule.</summary>
public sealed record RuleFrom
{
    public Source? Source { get; init; }
}
