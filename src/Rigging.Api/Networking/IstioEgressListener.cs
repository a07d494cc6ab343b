namespace Rigging.Api.Networking;

/// <summary>An outbound listener of a sidecar proxy and the hosts it may reach.</summary>
public sealed record IstioEgressListener
{
    public SidecarPort? Port { get; init; }

    public string? Bind { get; init; }

    public CaptureMode? CaptureMode { get; init; }

    public IReadOnlyList<string>? Hosts { get; init; }
}
