namespace Rigging.Api.Networking;

/// <summary>Matches a network filter in a filter chain.</summary>
public sealed record ListenerFilterMatch
{
    public string? Name { get; init; }

    public SubFilterMatch? SubFilter { get; init; }
}
