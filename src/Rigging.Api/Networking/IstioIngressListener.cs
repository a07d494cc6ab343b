using Rigging.Api.Model;

namespace Rigging.Api.Networking;

/// <summary>An inbound listener of a sidecar proxy.</summary>
public sealed record IstioIngressListener
{
    public SidecarPort? Port { get; init; }

    public string? Bind { get; init; }

    public CaptureMode? CaptureMode { get; init; }

    public string? DefaultEndpoint { get; init; }

    public ServerTlsSettings? Tls { get; init; }

    public ConnectionPoolSettings? ConnectionPool { get; init; }
}
