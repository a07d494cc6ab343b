namespace Rigging.Api.Telemetry;

/// <summary>A tag value from an Envoy access-log format string.</summary>
public sealed record CustomTagFormatter
{
    public string? Value { get; init; }
}
