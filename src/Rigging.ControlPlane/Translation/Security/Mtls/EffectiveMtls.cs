using System.Collections.Immutable;
using Rigging.Api.Security;

namespace Rigging.ControlPlane.Translation.Security.Mtls;

/// <summary>
/// The mutual TLS a workload accepts after Istio's composition of PeerAuthentications: a workload-wide mode
/// (never UNSET) and per-port overrides keyed by the workload's target (application) port.
/// </summary>
public sealed record EffectiveMtls(MutualTlsMode Mode, ImmutableDictionary<int, MutualTlsMode> Ports)
{
    /// <summary>No policy applies: Istio's default is PERMISSIVE.</summary>
    public static EffectiveMtls Default { get; } = new(MutualTlsMode.PERMISSIVE, ImmutableDictionary<int, MutualTlsMode>.Empty);

    /// <summary>The mode on one target port (a port-level setting wins; UNSET ones were resolved to the parent).</summary>
    public MutualTlsMode ForPort(int targetPort) => Ports.TryGetValue(targetPort, out var mode) ? mode : Mode;
}
