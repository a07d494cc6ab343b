using System.Collections.Immutable;
using Rigging.Api.Model;
using Rigging.Api.Security;
using Rigging.ControlPlane.Model;
using Rigging.ControlPlane.Translation.Security.Mtls;

namespace Rigging.ControlPlane.Translation;

/// <summary>PeerAuthentications indexed by namespace once per push, and Istio's composition for a workload.</summary>
public sealed partial class PushContext
{
    private PeerAuthenticationIndex? _peerAuthentication;

    private PeerAuthenticationIndex PeerAuthenticationPolicies =>
        LazyInitializer.EnsureInitialized(ref _peerAuthentication, () => new PeerAuthenticationIndex(Mesh.RootNamespace, OrderedOf<PeerAuthentication>()));

    /// <summary>
    /// The mTLS a workload (namespace + labels) accepts: mesh (root namespace, no selector), then namespace (no
    /// selector), then workload (selector in its own namespace) — each level that is set and not UNSET overrides
    /// the one before; portLevelMtls comes from the workload level only; PERMISSIVE when nothing applies.
    /// </summary>
    public EffectiveMtls PeerAuthenticationFor(string ns, IReadOnlyDictionary<string, string> labels) =>
        PeerAuthenticationPolicies.For(ns, labels);

    /// <summary>Same, for a workload instance (its namespace and labels).</summary>
    public EffectiveMtls PeerAuthenticationFor(WorkloadInstance instance)
    {
        ArgumentNullException.ThrowIfNull(instance);
        return PeerAuthenticationPolicies.For(instance.Namespace, instance.Labels);
    }

    private sealed class PeerAuthenticationIndex
    {
        private readonly PeerAuthentication? _mesh;
        private readonly Dictionary<string, PeerAuthentication> _namespaces = new(StringComparer.Ordinal);
        private readonly Dictionary<string, List<PeerAuthentication>> _workloads = new(StringComparer.Ordinal);
        private readonly string _root;

        public PeerAuthenticationIndex(string root, IEnumerable<Resource> policies)
        {
            _root = root;
            // Istio takes the oldest of competing policies; without creation times, the first by name (stable).
            foreach (var resource in policies)
            {
                var policy = (PeerAuthentication)resource.Spec!;
                if (policy.Selector?.MatchLabels is { Count: > 0 })
                {
                    if (!_workloads.TryGetValue(resource.Namespace, out var list)) _workloads[resource.Namespace] = list = [];
                    list.Add(policy);
                }
                else if (resource.Namespace == root)
                {
                    _mesh ??= policy;
                    _namespaces.TryAdd(resource.Namespace, policy);
                }
                else
                {
                    _namespaces.TryAdd(resource.Namespace, policy);
                }
            }
        }

        public EffectiveMtls For(string ns, IReadOnlyDictionary<string, string> labels)
        {
            var mode = MutualTlsMode.PERMISSIVE;
            mode = Inherit(mode, _mesh?.Mtls?.Mode);
            // The root namespace's own namespace policy is the mesh policy: applying it again changes nothing.
            if (ns != _root && _namespaces.TryGetValue(ns, out var nsPolicy)) mode = Inherit(mode, nsPolicy.Mtls?.Mode);
            var workload = FindWorkload(ns, labels);
            if (workload is null) return mode == MutualTlsMode.PERMISSIVE ? EffectiveMtls.Default : new EffectiveMtls(mode, ImmutableDictionary<int, MutualTlsMode>.Empty);
            mode = Inherit(mode, workload.Mtls?.Mode);
            var ports = ImmutableDictionary.CreateBuilder<int, MutualTlsMode>();
            foreach (var (port, setting) in workload.PortLevelMtls ?? new Dictionary<uint, PeerAuthenticationMutualTls>())
            {
                if (port is 0 or > 65535) continue;
                ports[(int)port] = Inherit(mode, setting?.Mode);
            }
            return new EffectiveMtls(mode, ports.ToImmutable());
        }

        private PeerAuthentication? FindWorkload(string ns, IReadOnlyDictionary<string, string> labels)
        {
            if (!_workloads.TryGetValue(ns, out var list)) return null;
            foreach (var policy in list)
            {
                if (LabelSelector.Matches(labels, policy.Selector!.MatchLabels!)) return policy;
            }
            return null;
        }

        private static MutualTlsMode Inherit(MutualTlsMode parent, MutualTlsMode? own) =>
            own is null or MutualTlsMode.UNSET ? parent : own.Value;
    }
}
