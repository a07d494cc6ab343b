namespace Rigging.Api.Telemetry;

/// <summary>A tag value from a proxy environment variable.</summary>
public sealed record CustomTagEnvironment
{
    public string? Name { get; init; }

    public string? DefaultValue { get; init; }
}
