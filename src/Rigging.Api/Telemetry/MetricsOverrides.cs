namespace Rigging.Api.Telemetry;

/// <summary>Turns metrics off or changes their tags.</summary>
public sealed record MetricsOverrides
{
    public MetricSelector? Match { get; init; }

    public bool? Disabled { get; init; }

    public IReadOnlyDictionary<string, MetricsTagOverride>? TagOverrides { get; init; }
}
