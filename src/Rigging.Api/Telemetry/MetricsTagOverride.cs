namespace Rigging.Api.Telemetry;

/// <summary>Adds, changes or removes one metric tag.</summary>
public sealed record MetricsTagOverride
{
    public TagOverrideOperation? Operation { get; init; }

    /// <summary>A CEL expression.</summary>
    public string? Value { get; init; }
}
