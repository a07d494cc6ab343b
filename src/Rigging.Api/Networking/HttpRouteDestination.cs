using Rigging.Api.Model;

namespace Rigging.Api.Networking;

/// <summary>A weighted HTTP destination with its own header changes.</summary>
public sealed record HttpRouteDestination
{
    public Destination? Destination { get; init; }

    public int? Weight { get; init; }

    public Headers? Headers { get; init; }
}
