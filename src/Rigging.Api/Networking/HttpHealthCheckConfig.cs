namespace Rigging.Api.Networking;

/// <summary>A readiness check by HTTP GET.</summary>
public sealed record HttpHealthCheckConfig
{
    public string? Path { get; init; }

    public uint? Port { get; init; }

    public string? Host { get; init; }

    public string? Scheme { get; init; }

    public IReadOnlyList<HttpHeader>? HttpHeaders { get; init; }
}
