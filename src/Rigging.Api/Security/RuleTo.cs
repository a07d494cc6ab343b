namespace Rigging.Api.Security;

/// <summary>One operation clause of a rule.</summary>
public sealed record RuleTo
{
    public Operation? Operation { get; init; }
}
