namespace Rigging.Api.Networking;

/// <summary>How traffic from one locality is shared among localities by weight.</summary>
public sealed record LocalityLbDistribute
{
    public string? From { get; init; }

    public IReadOnlyDictionary<string, uint>? To { get; init; }
}
