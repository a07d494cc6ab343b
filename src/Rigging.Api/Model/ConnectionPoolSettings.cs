namespace Rigging.Api.Model;

/// <summary>Limits on connections and requests to an upstream host (shared by DestinationRule and Sidecar).</summary>
public sealed record ConnectionPoolSettings
{
    public ConnectionPoolTcpSettings? Tcp { get; init; }

    public ConnectionPoolHttpSettings? Http { get; init; }
}
