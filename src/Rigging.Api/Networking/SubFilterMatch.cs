namespace Rigging.Api.Networking;

/// <summary>Matches an HTTP filter inside the HTTP connection manager.</summary>
public sealed record SubFilterMatch
{
    public string? Name { get; init; }
}
