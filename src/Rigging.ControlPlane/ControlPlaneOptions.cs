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

    /// <summary>
    /// The xDS TLS port (Istio's 15012), serving ADS and the CA; 0 picks a free port. Null (the default here; the
    /// CLI's default is 15012) runs no CA at all: plaintext development mode.
    /// </summary>
    public int? XdsTlsPort { get; init; }

    /// <summary>Where the CA keeps its root, keys and token key; null: <see cref="DefaultStateDirectory"/>.</summary>
    public string? StateDirectory { get; init; }

    /// <summary>A plug-in CA in Istio's cacerts layout, instead of a root of our own.</summary>
    public string? CaCertsDirectory { get; init; }

    public string TrustDomain { get; init; } = "cluster.local";

    /// <summary>Default lifetime of workload certificates (and the most a CSR may ask for).</summary>
    public TimeSpan WorkloadCertificateTtl { get; init; } = TimeSpan.FromHours(24);

    /// <summary>Lifetime of the TLS port's own certificate (renewed at two thirds of it).</summary>
    public TimeSpan ServingCertificateTtl { get; init; } = TimeSpan.FromHours(24);

    /// <summary>How long a self-registered workload stays after its proxy's stream is gone.</summary>
    public TimeSpan RegistrationGracePeriod { get; init; } = TimeSpan.FromSeconds(10);

    public TimeSpan PushQuietPeriod { get; init; } = TimeSpan.FromMilliseconds(100);

    public TimeSpan PushMaxDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Push the first change after a quiet period at once (later ones still wait for quiet or the max delay).</summary>
    public bool PushLeadingEdge { get; init; } = true;

    public TimeSpan ConfigDebounce { get; init; } = TimeSpan.FromMilliseconds(50);

    public TimeSpan ConfigRescanPeriod { get; init; } = TimeSpan.FromSeconds(5);

    public MeshSettings Mesh { get; init; } = MeshSettings.Default;

    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    public ILoggerFactory LoggerFactory { get; init; } = NullLoggerFactory.Instance;

    /// <summary>
    /// The state directory beside the config directory (<c>&lt;config&gt;/../.rig-state</c>), so it is never part of the
    /// watched YAML scan.
    /// </summary>
    public static string DefaultStateDirectory(string configDirectory) =>
        Path.GetFullPath(Path.Combine(Path.GetFullPath(configDirectory), "..", ".rig-state"));
}
