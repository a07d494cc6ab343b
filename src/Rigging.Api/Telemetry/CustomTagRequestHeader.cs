namespace Rigging.Api.Telemetry;

/// <summary>A tag value from a request header.</summary>
public sealed record CustomTagRequestHeader
{
    public string? Name { get; init; }

    public string? DefaultValue { get; init; }
}
