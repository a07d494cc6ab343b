namespace Rigging.Api.Networking;

/// <summary>Matches virtual hosts in a route configuration.</summary>
public sealed record VirtualHostMatch
{
    public string? Name { get; init; }

    public string? DomainName { get; init; }

    public RouteConfigurationRouteMatch? Route { get; init; }
}
