namespace Rigging.Api.Telemetry;

/// <summary>A fixed tag value.</summary>
public sealed record CustomTagLiteral
{
    public string? Value { get; init; }
}
