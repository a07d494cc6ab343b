using System.Collections.Immutable;
using System.Globalization;
using Envoy.Config.Cluster.V3;
using Envoy.Config.Core.V3;
using Envoy.Config.Endpoint.V3;
using Envoy.Config.Listener.V3;
using Envoy.Extensions.Filters.Network.HttpConnectionManager.V3;
using Rigging.Api.Validation;
using Rigging.ControlPlane.Model;
using Rigging.ControlPlane.Registry;
using Rigging.ControlPlane.Translation;

namespace Rigging.Proxy.Bench;

/// <summary>
/// The security parts of the mesh's config for the two hops, taken from the control plane's own translation (a
/// PushContext built from Istio YAML: mesh-wide STRICT PeerAuthentication and an ALLOW AuthorizationPolicy on the
/// server) so the bench measures exactly what the mesh generates: the client's auto-mTLS transport socket matches
/// and its endpoint's tlsMode metadata, the server's inbound TLS filter chain match and DownstreamTlsContext, its
/// XFCC settings and its policy HTTP filters. <see cref="SecureHops"/> puts them on the plaintext run's config, so
/// the two runs differ by security alone.
/// </summary>
internal sealed record MeshSecurity(
    IReadOnlyList<Cluster.Types.TransportSocketMatch> ClientTransportSocketMatches,
    Metadata ClientEndpointMetadata,
    FilterChainMatch ServerChainMatch,
    TransportSocket ServerTransportSocket,
    HttpConnectionManager.Types.ForwardClientCertDetails ServerForwardClientCert,
    HttpConnectionManager.Types.SetCurrentClientCertDetails? ServerSetClientCert,
    IReadOnlyList<HttpFilter> ServerPolicyFilters)
{
    /// <summary>The paths the policy allows; requests elsewhere are refused.</summary>
    public const string AllowedPrefix = "/api/";

    private const string ServiceHost = "server.bench.svc.cluster.local";
    private const int ServicePort = 80;

    // Istio's sidecar HTTP filters around the policy ones; the plaintext run has the router alone.
    private const string FaultFilter = "envoy.filters.http.fault";
    private const string RouterFilter = "envoy.filters.http.router";

    private static string Config(int appPort) => $$$"""
        apiVersion: v1
        kind: Service
        metadata: {name: server, namespace: {{{BenchCertificates.Namespace}}}}
        spec:
          selector: {app: server}
          ports: [{name: http, port: {{{ServicePort}}}, targetPort: {{{appPort}}}}]
        ---
        apiVersion: security.istio.io/v1
        kind: PeerAuthentication
        metadata: {name: default, namespace: istio-system}
        spec:
          mtls: {mode: STRICT}
        ---
        apiVersion: security.istio.io/v1
        kind: AuthorizationPolicy
        metadata: {name: server-allows-client, namespace: {{{BenchCertificates.Namespace}}}}
        spec:
          selector: {matchLabels: {app: server}}
          action: ALLOW
          rules:
          - from: [{source: {principals: ["{{{BenchCertificates.TrustDomain}}}/ns/{{{BenchCertificates.Namespace}}}/sa/client"]}}]
            to: [{operation: {methods: ["GET"], paths: ["{{{AllowedPrefix}}}*"]}}]
        """;

    /// <summary>Translates the mesh for a client sidecar and a server sidecar (inbound at <paramref name="serverPort"/>, app at <paramref name="appPort"/>).</summary>
    public static MeshSecurity Generate(int serverPort, int appPort)
    {
        var loaded = ConfigValidator.ValidateText("bench-mesh.yaml", Config(appPort));
        if (loaded.HasErrors) throw new InvalidOperationException("bench mesh config: " + string.Join("; ", loaded.Diagnostics));
        var server = new WorkloadInstance
        {
            Name = "server-1",
            Namespace = BenchCertificates.Namespace,
            Address = "127.0.0.1",
            Labels = ImmutableDictionary<string, string>.Empty.Add("app", "server"),
            ServiceAccount = "server",
            InboundPort = serverPort,
        };
        var push = new PushContext(loaded.Resources, ServiceDiscovery.Services(loaded.Resources), [server]);

        var clientResources = ProxyGenerator.Generate(Sidecar("client", inbound: null, app: null), push);
        var serverResources = ProxyGenerator.Generate(Sidecar("server", serverPort, appPort), push);
        if (!push.Issues.IsEmpty) throw new InvalidOperationException("bench mesh translation: " + string.Join("; ", push.Issues.Values));

        var clusterName = string.Create(CultureInfo.InvariantCulture, $"outbound|{ServicePort}||{ServiceHost}");
        var cluster = clientResources.OfType<Cluster>().SingleOrDefault(c => c.Name == clusterName)
            ?? throw new InvalidOperationException($"the control plane generated no cluster {clusterName}");
        if (cluster.TransportSocketMatches.Count == 0) throw new InvalidOperationException($"{clusterName} has no auto-mTLS transport_socket_matches");
        var endpoint = clientResources.OfType<ClusterLoadAssignment>().Single(a => a.ClusterName == clusterName).Endpoints.Single().LbEndpoints.Single();

        var inbound = serverResources.OfType<Listener>().Single(l => l.TrafficDirection == TrafficDirection.Inbound);
        var chain = inbound.FilterChains.Single(); // STRICT: the TLS chain only
        if (chain.TransportSocket is null) throw new InvalidOperationException("the server's inbound chain under STRICT has no transport socket");
        var hcm = chain.Filters.Single().TypedConfig.Unpack<HttpConnectionManager>();
        var policy = hcm.HttpFilters.Where(f => f.Name is not (FaultFilter or RouterFilter)).ToList();
        if (policy.Count == 0) throw new InvalidOperationException("the AuthorizationPolicy produced no HTTP filter");

        return new MeshSecurity(
            [.. cluster.TransportSocketMatches],
            endpoint.Metadata ?? throw new InvalidOperationException("the server endpoint has no tlsMode metadata"),
            chain.FilterChainMatch,
            chain.TransportSocket,
            hcm.ForwardClientCertDetails,
            hcm.SetCurrentClientCertDetails,
            policy);
    }

    private static ProxyView Sidecar(string workload, int? inbound, int? app) => new()
    {
        NodeId = $"sidecar~127.0.0.1~{workload}-1.{BenchCertificates.Namespace}~{BenchCertificates.Namespace}.svc.cluster.local",
        Kind = ProxyKind.Sidecar,
        Namespace = BenchCertificates.Namespace,
        Workload = workload,
        Labels = ImmutableDictionary<string, string>.Empty.Add("app", workload),
        ServiceAccount = workload,
        InboundPort = inbound,
        AppPort = app,
    };
}
