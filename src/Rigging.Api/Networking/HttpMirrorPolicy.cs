using Rigging.Api.Model;

namespace Rigging.Api.Networking;

/// <summary>A destination that receives a copy of a share of the traffic.</summary>
public sealed record HttpMirrorPolicy
{
    public Destination? Destination { get; init; }

    public Percent? Percentage { get; init; }
}
