namespace Rigging.Api.Networking;

/// <summary>Matches Envoy route configurations.</summary>
public sealed record RouteConfigurationMatch
{
    public uint? PortNumber { get; init; }

    public string? PortName { get; init; }

    public string? Gateway { get; init; }

    public VirtualHostMatch? Vhost { get; init; }

    public string? Name { get; init; }
}
