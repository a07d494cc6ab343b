namespace Rigging.Api.Networking;

/// <summary>A readiness check by running a command.</summary>
public sealed record ExecHealthCheckConfig
{
    public IReadOnlyList<string>? Command { get; init; }
}
