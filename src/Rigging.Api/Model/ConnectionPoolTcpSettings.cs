namespace Rigging.Api.Model;

/// <summary>TCP-level connection pool limits common to HTTP and TCP traffic.</summary>
public sealed record ConnectionPoolTcpSettings
{
    public int? MaxConnections { get; init; }

    public Duration? ConnectTimeout { get; init; }

    public TcpKeepalive? TcpKeepalive { get; init; }

    public Duration? MaxConnectionDuration { get; init; }

    public Duration? IdleTimeout { get; init; }
}
