using Rigging.Api.Model;

namespace Rigging.Api.Networking;

/// <summary>Ejects misbehaving hosts from the load balancing pool for a while.</summary>
public sealed record OutlierDetection
{
    /// <summary>Deprecated: use Consecutive5xxErrors or ConsecutiveGatewayErrors.</summary>
    public int? ConsecutiveErrors { get; init; }

    public bool? SplitExternalLocalOriginErrors { get; init; }

    public uint? ConsecutiveLocalOriginFailures { get; init; }

    public uint? ConsecutiveGatewayErrors { get; init; }

    public uint? Consecutive5xxErrors { get; init; }

    public Duration? Interval { get; init; }

    public Duration? BaseEjectionTime { get; init; }

    public int? MaxEjectionPercent { get; init; }

    public int? MinHealthPercent { get; init; }

    public IReadOnlyList<uint>? OutlierDetectionHttpErrorCodes { get; init; }
}
