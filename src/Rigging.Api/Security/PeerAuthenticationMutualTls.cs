namespace Rigging.Api.Security;

/// <summary>Mutual TLS setting for a workload or port.</summary>
public sealed record PeerAuthenticationMutualTls
{
    public MutualTlsMode? Mode { get; init; }
}
