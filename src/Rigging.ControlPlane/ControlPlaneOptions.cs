using System.Net;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Rigging.ControlPlane.Translation;

namespace Rigging.ControlPlane;

/// <summary>Settings of <c>rig control-plane</c>: where config lives, the ports, and the timings of push and registry.</summary>
public sealed record ControlPlaneOptions
{
    public required string ConfigDirectory { get; init; }

    /// <summary>ADS (gRPC, h2c); 0 picks a free port.</summary>
    public int XdsPort { get; init; } = 15010;

    /// <summary>/ready, /metrics, /debug/*, the resources API; 0 picks a free port.</summary>
    public int HttpPort { get; init; } = 15014;

    public IPAddress Address { get; init; } = IPAddress.Loopback;

    /// <summary>How long a self-registered workload stays after its proxy's stream is gone.</summary>
    public TimeSpan RegistrationGracePeriod { get; init; } = TimeSpan.FromSeconds(10);

    public TimeSpan PushQuietPeriod { get; init; } = TimeSpan.FromMilliseconds(100);

    public TimeSpan PushMaxDelay { get; init; } = TimeSpan.FromSeconds(1);

    public TimeSpan ConfigDebounce { get; init; } = TimeSpan.FromMilliseconds(50);

    public TimeSpan ConfigRescanPeriod { get; init; } = TimeSpan.FromSeconds(5);

    public MeshSettings Mesh { get; init; } = MeshSettings.Default;

    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    public ILoggerFactory LoggerFactory { get; init; } = NullLoggerFactory.Instance;
}
