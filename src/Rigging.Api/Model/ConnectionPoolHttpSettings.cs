namespace Rigging.Api.Model;

/// <summary>HTTP/1.1 and HTTP/2 connection pool limits.</summary>
public sealed record ConnectionPoolHttpSettings
{
    public int? Http1MaxPendingRequests { get; init; }

    public int? Http2MaxRequests { get; init; }

    public int? MaxRequestsPerConnection { get; init; }

    public int? MaxRetries { get; init; }

    public Duration? IdleTimeout { get; init; }

    public H2UpgradePolicy? H2UpgradePolicy { get; init; }

    public bool? UseClientProtocol { get; init; }

    public int? MaxConcurrentStreams { get; init; }

    public Http2ConnectionKeepalive? Http2KeepAlive { get; init; }
}
