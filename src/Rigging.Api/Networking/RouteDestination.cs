using Rigging.Api.Model;

namespace Rigging.Api.Networking;

/// <summary>A weighted TCP or TLS destination.</summary>
public sealed record RouteDestination
{
    public Destination? Destination { get; init; }

    public int? Weight { get; init; }
}
