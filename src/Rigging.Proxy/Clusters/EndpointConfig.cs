namespace Rigging.Proxy.Clusters;

/// <summary>One upstream endpoint as configured (EDS or a cluster's load_assignment).</summary>
public sealed record EndpointConfig(string Host, int Port, uint Weight, EndpointHealth Health, string Locality)
{
    /// <summary><c>host:port</c>, the key that keeps an endpoint's runtime state across updates.</summary>
    public string Key { get; } = $"{Host}:{Port}";

    /// <summary>The TLS this endpoint is reached with (chosen by transport_socket_matches on its metadata); null: plaintext.</summary>
    internal Security.Tls.UpstreamTlsModel? Tls { get; init; }
}
