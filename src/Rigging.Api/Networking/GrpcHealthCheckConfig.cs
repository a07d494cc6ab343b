namespace Rigging.Api.Networking;

/// <summary>A readiness check by the gRPC health protocol.</summary>
public sealed record GrpcHealthCheckConfig
{
    public uint? Port { get; init; }

    public string? Service { get; init; }
}
