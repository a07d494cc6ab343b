namespace Rigging.Api.Telemetry;

/// <summary>Tracing settings: providers, sampling and custom tags.</summary>
public sealed record Tracing
{
    public TracingSelector? Match { get; init; }

    public IReadOnlyList<ProviderRef>? Providers { get; init; }

    public double? RandomSamplingPercentage { get; init; }

    public bool? DisableSpanReporting { get; init; }

    public IReadOnlyDictionary<string, TracingCustomTag>? CustomTags { get; init; }

    public bool? UseRequestIdForTraceSampling { get; init; }

    public bool? EnableIstioTags { get; init; }

    public bool? DisableContextPropagation { get; init; }
}
