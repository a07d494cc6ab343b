namespace Rigging.Api.Security;

/// <summary>Copies a JWT claim into a request header.</summary>
public sealed record ClaimToHeader
{
    public string? Header { get; init; }

    public string? Claim { get; init; }
}
