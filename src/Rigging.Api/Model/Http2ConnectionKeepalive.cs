namespace Rigging.Api.Model;

/// <summary>HTTP/2 PING keepalive for upstream connections.</summary>
public sealed record Http2ConnectionKeepalive
{
    public Duration? Interval { get; init; }

    public Duration? Timeout { get; init; }
}
