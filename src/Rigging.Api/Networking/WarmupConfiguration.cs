using Rigging.Api.Model;

namespace Rigging.Api.Networking;

/// <summary>Slow start: new endpoints get gradually more traffic.</summary>
public sealed record WarmupConfiguration
{
    public Duration? Duration { get; init; }

    public double? MinimumPercent { get; init; }

    public double? Aggression { get; init; }
}
