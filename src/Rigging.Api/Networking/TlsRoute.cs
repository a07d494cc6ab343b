namespace Rigging.Api.Networking;

/// <summary>Routes TLS or HTTPS passthrough traffic by SNI.</summary>
public sealed record TlsRoute
{
    public IReadOnlyList<TlsMatchAttributes>? Match { get; init; }

    public IReadOnlyList<RouteDestination>? Route { get; init; }
}
