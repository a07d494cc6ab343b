namespace Rigging.Api.Model;

/// <summary>A service (and optionally a subset and port) that traffic is sent to.</summary>
public sealed record Destination
{
    public string? Host { get; init; }

    public string? Subset { get; init; }

    public PortSelector? Port { get; init; }
}
