namespace Rigging.Api.Telemetry;

/// <summary>Access log settings: providers, on/off and a filter.</summary>
public sealed record AccessLogging
{
    public AccessLogSelector? Match { get; init; }

    public IReadOnlyList<ProviderRef>? Providers { get; init; }

    public bool? Disabled { get; init; }

    public AccessLogFilter? Filter { get; init; }
}
