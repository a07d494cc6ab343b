using Rigging.Api.Model;

namespace Rigging.Api.Security;

/// <summary>Spec of a PeerAuthentication: the mutual TLS a workload accepts.</summary>
public sealed record PeerAuthentication
{
    public WorkloadSelector? Selector { get; init; }

    public PeerAuthenticationMutualTls? Mtls { get; init; }

    public IReadOnlyDictionary<uint, PeerAuthenticationMutualTls>? PortLevelMtls { get; init; }
}
