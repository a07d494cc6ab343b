namespace Rigging.Api.Model;

/// <summary>TCP keepalive probing of idle connections (SO_KEEPALIVE).</summary>
public sealed record TcpKeepalive
{
    public uint? Probes { get; init; }

    public Duration? Time { get; init; }

    public Duration? Interval { get; init; }
}
