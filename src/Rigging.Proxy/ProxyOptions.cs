using System.Net;

namespace Rigging.Proxy;

/// <summary>Who this proxy is and where it listens: the `rig proxy` command line, as a value.</summary>
public sealed record ProxyOptions
{
    /// <summary>The xDS server (http://host:port, or https for TLS).</summary>
    public required Uri Xds { get; init; }

    public required string NodeId { get; init; }

    public required string Workload { get; init; }

    public string Namespace { get; init; } = "default";

    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();

    public string ServiceAccount { get; init; } = "default";

    /// <summary>The address other proxies reach this workload at (its inbound listener).</summary>
    public IPAddress Address { get; init; } = IPAddress.Loopback;

    public int? InboundPort { get; init; }

    public int? AppPort { get; init; }

    public int? OutboundPort { get; init; }

    /// <summary>Admin endpoints (localhost only); 0 picks a free port. Envoy's default is 15000.</summary>
    public int AdminPort { get; init; } = 15000;

    /// <summary>How long shutdown lets requests in flight finish (Istio's terminationDrainDuration).</summary>
    public TimeSpan DrainDuration { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Write Envoy's default access log line per request (off by default: it costs allocations).</summary>
    public bool AccessLog { get; init; }

    /// <summary>The CA to get the workload certificate from (default: <see cref="Xds"/> when it is https).</summary>
    public Uri? CaAddress { get; init; }

    /// <summary>The bootstrap token from <c>rig token create</c> (or <see cref="TokenFile"/>).</summary>
    public string? Token { get; init; }

    /// <summary>A file holding the bootstrap token; re-read at each renewal.</summary>
    public string? TokenFile { get; init; }

    /// <summary>The mesh's root (the control plane's <c>&lt;state&gt;/root-cert.pem</c>): trusted for the CA and xDS TLS.</summary>
    public string? RootCertFile { get; init; }

    /// <summary>The trust domain in the SPIFFE id the CSR asks for.</summary>
    public string TrustDomain { get; init; } = "cluster.local";

    /// <summary>The CA address in use: explicit, or the xDS address when it is https; null when no CA applies.</summary>
    public Uri? EffectiveCaAddress => CaAddress ?? (string.Equals(Xds.Scheme, Uri.UriSchemeHttps, StringComparison.OrdinalIgnoreCase) ? Xds : null);

    /// <summary>True when a token is configured: the proxy then obtains a certificate before it is ready.</summary>
    public bool UsesCertificates => Token is not null || TokenFile is not null;

    /// <summary>Istio's node id for a sidecar: <c>sidecar~IP~NAME.NS~NS.svc.cluster.local</c>.</summary>
    public static string DefaultNodeId(string workload, string ns, IPAddress address) =>
        $"sidecar~{address}~{workload}.{ns}~{ns}.svc.cluster.local";
}
