namespace Rigging.Proxy.Security.Agent;

/// <summary>Where the agent asks for certificates, how it proves who it is, and how it retries.</summary>
public sealed record CertificateAgentOptions
{
    /// <summary>The CA (the control plane's xDS TLS port), https://HOST:PORT.</summary>
    public required Uri CaAddress { get; init; }

    /// <summary>The bootstrap token, read per request (so a replaced token file is picked up).</summary>
    public required Func<string> Token { get; init; }

    /// <summary>PEM file of the mesh's root; re-read per request.</summary>
    public required string RootCertFile { get; init; }

    public required string Namespace { get; init; }

    public required string ServiceAccount { get; init; }

    public string TrustDomain { get; init; } = "cluster.local";

    /// <summary>validity_duration to ask for (null: the CA's default).</summary>
    public TimeSpan? RequestedTtl { get; init; }

    /// <summary>Renewal at half the life, moved by up to this fraction of the life either way.</summary>
    public double Jitter { get; init; } = 0.05;

    public TimeSpan InitialBackoff { get; init; } = TimeSpan.FromSeconds(1);

    public TimeSpan MaxBackoff { get; init; } = TimeSpan.FromSeconds(30);

    public TimeSpan CallTimeout { get; init; } = TimeSpan.FromSeconds(10);
}
