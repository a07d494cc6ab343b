using Rigging.Api.Model;

namespace Rigging.Api.Networking;

/// <summary>Traffic policy overrides for one destination port.</summary>
public sealed record TrafficPolicyPortSettings
{
    public PortSelector? Port { get; init; }

    public LoadBalancerSettings? LoadBalancer { get; init; }

    public ConnectionPoolSettings? ConnectionPool { get; init; }

    public OutlierDetection? OutlierDetection { get; init; }

    public ClientTlsSettings? Tls { get; init; }
}
