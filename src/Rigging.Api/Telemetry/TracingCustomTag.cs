namespace Rigging.Api.Telemetry;

/// <summary>Where a custom span tag takes its value from (set exactly one).</summary>
public sealed record TracingCustomTag
{
    public CustomTagLiteral? Literal { get; init; }

    public CustomTagEnvironment? Environment { get; init; }

    public CustomTagRequestHeader? Header { get; init; }

    public CustomTagFormatter? Formatter { get; init; }
}
