using Rigging.Api.Extensions;
using Rigging.Api.Kubernetes;
using Rigging.Api.Networking;
using Rigging.Api.Security;

namespace Rigging.Api.Model;

/// <summary>Every kind Rigging reads: Istio's configuration kinds and the Kubernetes kinds the mesh needs.</summary>
public static class KnownKinds
{
    public const string NetworkingGroup = "networking.istio.io";
    public const string SecurityGroup = "security.istio.io";
    public const string TelemetryGroup = "telemetry.istio.io";
    public const string ExtensionsGroup = "extensions.istio.io";
    public const string CoreGroup = "";
    public const string AppsGroup = "apps";

    private static readonly string[] NetworkingVersions = ["v1", "v1beta1", "v1alpha3"];
    private static readonly string[] SecurityVersions = ["v1", "v1beta1"];
    private static readonly string[] V1 = ["v1"];

    public static IReadOnlyList<KindInfo> All { get; } =
    [
        new(NetworkingGroup, NetworkingVersions, "VirtualService", typeof(VirtualService)),
        new(NetworkingGroup, NetworkingVersions, "DestinationRule", typeof(DestinationRule)),
        new(NetworkingGroup, NetworkingVersions, "Gateway", typeof(Gateway)),
        new(NetworkingGroup, NetworkingVersions, "ServiceEntry", typeof(ServiceEntry)),
        new(NetworkingGroup, NetworkingVersions, "Sidecar", typeof(Sidecar)),
        new(NetworkingGroup, NetworkingVersions, "WorkloadEntry", typeof(WorkloadEntry)),
        new(NetworkingGroup, NetworkingVersions, "WorkloadGroup", typeof(WorkloadGroup)),
        new(NetworkingGroup, ["v1alpha3"], "EnvoyFilter", typeof(EnvoyFilter)),
        new(NetworkingGroup, ["v1beta1"], "ProxyConfig", typeof(ProxyConfig)),
        new(SecurityGroup, SecurityVersions, "AuthorizationPolicy", typeof(AuthorizationPolicy)),
        new(SecurityGroup, SecurityVersions, "PeerAuthentication", typeof(PeerAuthentication)),
        new(SecurityGroup, SecurityVersions, "RequestAuthentication", typeof(RequestAuthentication)),
        new(TelemetryGroup, ["v1", "v1alpha1"], "Telemetry", typeof(Telemetry.Telemetry)),
        new(ExtensionsGroup, ["v1alpha1"], "WasmPlugin", typeof(WasmPlugin)),
        new(CoreGroup, V1, "Service", typeof(ServiceSpec)),
        new(CoreGroup, V1, "Namespace", null, Namespaced: false),
        new(CoreGroup, V1, "Pod", typeof(PodSpec)),
        new(CoreGroup, V1, "ServiceAccount", null),
        new(AppsGroup, V1, "Deployment", typeof(DeploymentSpec)),
        new(AppsGroup, V1, "StatefulSet", typeof(DeploymentSpec)),
        new(AppsGroup, V1, "DaemonSet", typeof(DeploymentSpec)),
        new(AppsGroup, V1, "ReplicaSet", typeof(DeploymentSpec)),
    ];

    /// <summary>
    /// The kind for an object's apiVersion ("v1" for the core group, otherwise "group/version") and kind;
    /// null when the group and kind are unknown or that version is not served.
    /// </summary>
    public static KindInfo? Find(string apiVersion, string kind)
    {
        ArgumentNullException.ThrowIfNull(apiVersion);
        ArgumentNullException.ThrowIfNull(kind);
        var slash = apiVersion.IndexOf('/', StringComparison.Ordinal);
        var group = slash < 0 ? CoreGroup : apiVersion[..slash];
        var version = slash < 0 ? apiVersion : apiVersion[(slash + 1)..];
        foreach (var info in All)
        {
            if (info.Kind != kind || info.Group != group) continue;
            foreach (var v in info.Versions)
            {
                if (v == version) return info;
            }
            return null;
        }
        return null;
    }
}
