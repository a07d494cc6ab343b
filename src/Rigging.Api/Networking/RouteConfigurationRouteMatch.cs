namespace Rigging.Api.Networking;

/// <summary>Matches routes in a virtual host.</summary>
public sealed record RouteConfigurationRouteMatch
{
    public string? Name { get; init; }

    public RouteMatchAction? Action { get; init; }
}
