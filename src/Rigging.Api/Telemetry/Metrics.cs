using Rigging.Api.Model;

namespace Rigging.Api.Telemetry;

/// <summary>Metrics settings: providers and per-metric overrides.</summary>
public sealed record Metrics
{
    public IReadOnlyList<ProviderRef>? Providers { get; init; }

    public IReadOnlyList<MetricsOverrides>? Overrides { get; init; }

    public Duration? ReportingInterval { get; init; }
}
