namespace Rigging.Api.Networking;

/// <summary>Tunnels TCP to the destination through a proxy (HTTP CONNECT or POST).</summary>
public sealed record TunnelSettings
{
    public string? Protocol { get; init; }

    public string? TargetHost { get; init; }

    public uint? TargetPort { get; init; }
}
