namespace Rigging.Api.Telemetry;

/// <summary>Logs only requests for which a CEL expression is true.</summary>
public sealed record AccessLogFilter
{
    public string? Expression { get; init; }
}
