namespace Rigging.Api.Telemetry;

/// <summary>Names a telemetry provider defined in mesh config.</summary>
public sealed record ProviderRef
{
    public string? Name { get; init; }
}
