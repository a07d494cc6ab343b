namespace Rigging.Api.Networking;

/// <summary>Hands an HTTP route over to another VirtualService, by name and namespace.</summary>
public sealed record RouteDelegate
{
    public string? Name { get; init; }

    public string? Namespace { get; init; }
}
