using Rigging.Api.Model;

namespace Rigging.Api.Networking;

/// <summary>Delays a share of requests before forwarding.</summary>
public sealed record FaultDelay
{
    /// <summary>Deprecated: use Percentage.</summary>
    public int? Percent { get; init; }

    public Duration? FixedDelay { get; init; }

    /// <summary>Accepted by the API but not implemented by Istio.</summary>
    public Duration? ExponentialDelay { get; init; }

    public Percent? Percentage { get; init; }
}
