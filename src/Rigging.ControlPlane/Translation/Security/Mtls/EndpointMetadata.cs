using Envoy.Config.Core.V3;
using Google.Protobuf.WellKnownTypes;
using Rigging.Api.Security;
using Rigging.ControlPlane.Model;

namespace Rigging.ControlPlane.Translation.Security.Mtls;

/// <summary>
/// The endpoint metadata auto mTLS keys on: filter_metadata["envoy.transport_socket_match"] = {tlsMode: "istio"}
/// for an instance that has a sidecar (a self-registered proxy, or labelled security.istio.io/tlsMode=istio), as
/// Istio's EDS writes it. Like Istio's endpoint mTLS check, an instance whose PeerAuthentication DISABLEs mTLS on
/// that port loses the label, so clients send it plaintext.
/// </summary>
internal static class EndpointMetadata
{
    private static readonly Metadata IstioMode = Build();

    /// <returns>The metadata to set, or null for a plaintext endpoint.</returns>
    public static Metadata? For(WorkloadInstance instance, int targetPort, PushContext push)
    {
        if (!HasSidecar(instance)) return null;
        if (push.PeerAuthenticationFor(instance).ForPort(targetPort) == MutualTlsMode.DISABLE) return null;
        return IstioMode;
    }

    /// <summary>The label wins when present ("disabled" opts out); else an instance with an inbound proxy port has a sidecar.</summary>
    public static bool HasSidecar(WorkloadInstance instance) =>
        instance.Labels.TryGetValue(TlsNames.TlsModeLabel, out var mode) ? mode == TlsNames.IstioTlsMode : instance.InboundPort is not null;

    private static Metadata Build()
    {
        var metadata = new Metadata();
        metadata.FilterMetadata[TlsNames.TransportSocketMatchFilter] = new Struct { Fields = { [TlsNames.TlsModeKey] = Value.ForString(TlsNames.IstioTlsMode) } };
        return metadata;
    }
}
