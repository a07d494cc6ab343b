namespace Rigging.Api.Networking;

/// <summary>A readiness check by opening a TCP connection.</summary>
public sealed record TcpHealthCheckConfig
{
    public string? Host { get; init; }

    public uint? Port { get; init; }
}
