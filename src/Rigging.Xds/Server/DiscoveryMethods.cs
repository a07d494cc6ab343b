using Envoy.Service.Discovery.V3;
using Rigging.Xds.Cache;
using Rigging.Xds.Grpc;

namespace Rigging.Xds.Server;

/// <summary>The xDS gRPC methods: ADS (SotW and delta) and the per-type discovery services.</summary>
public static class DiscoveryMethods
{
    public const string AdsService = "envoy.service.discovery.v3.AggregatedDiscoveryService";

    public static GrpcMethod<DiscoveryRequest, DiscoveryResponse> StreamAggregatedResources { get; } =
        new(AdsService, "StreamAggregatedResources", DiscoveryRequest.Parser, DiscoveryResponse.Parser);

    public static GrpcMethod<DeltaDiscoveryRequest, DeltaDiscoveryResponse> DeltaAggregatedResources { get; } =
        new(AdsService, "DeltaAggregatedResources", DeltaDiscoveryRequest.Parser, DeltaDiscoveryResponse.Parser);

    /// <summary>Per-type services: (type URL, service, SotW method, delta method).</summary>
    public static IReadOnlyList<(string TypeUrl, string Service, string Sotw, string Delta)> PerTypeServices { get; } =
    [
        (TypeUrls.Listener, "envoy.service.listener.v3.ListenerDiscoveryService", "StreamListeners", "DeltaListeners"),
        (TypeUrls.RouteConfiguration, "envoy.service.route.v3.RouteDiscoveryService", "StreamRoutes", "DeltaRoutes"),
        (TypeUrls.Cluster, "envoy.service.cluster.v3.ClusterDiscoveryService", "StreamClusters", "DeltaClusters"),
        (TypeUrls.ClusterLoadAssignment, "envoy.service.endpoint.v3.EndpointDiscoveryService", "StreamEndpoints", "DeltaEndpoints"),
        (TypeUrls.Secret, "envoy.service.secret.v3.SecretDiscoveryService", "StreamSecrets", "DeltaSecrets"),
    ];

    public static GrpcMethod<DiscoveryRequest, DiscoveryResponse> Sotw(string service, string method) =>
        new(service, method, DiscoveryRequest.Parser, DiscoveryResponse.Parser);

    public static GrpcMethod<DeltaDiscoveryRequest, DeltaDiscoveryResponse> Delta(string service, string method) =>
        new(service, method, DeltaDiscoveryRequest.Parser, DeltaDiscoveryResponse.Parser);
}
