using Envoy.Config.Cluster.V3;
using Envoy.Config.Endpoint.V3;
using Envoy.Extensions.TransportSockets.Tls.V3;
using FluentAssertions;
using Rigging.ControlPlane.Model;

namespace Rigging.ControlPlane.Tests.Security.Mtls;

/// <summary>Auto mTLS: endpoint metadata for instances with a sidecar, transport socket matches on every mesh cluster.</summary>
public sealed class AutoMtlsTests
{
    private const string Reviews = """
        apiVersion: v1
        kind: Service
        metadata: {name: reviews, namespace: default}
        spec:
          selector: {app: reviews}
          ports: [{name: http, port: 9080}, {name: grpc, port: 9090}]
        ---

        """;

    private static readonly WorkloadInstance[] Instances =
    [
        MtlsMesh.Instance("default", "reviews", "10.0.0.1", sidecar: true, serviceAccount: "bookinfo-reviews", version: "v1"),
        MtlsMesh.Instance("default", "reviews", "10.0.0.2", sidecar: false, serviceAccount: "legacy", version: "v1"),
    ];

    private static (Cluster Cluster, ClusterLoadAssignment Endpoints) For(string yaml, string cluster, params WorkloadInstance[] instances)
    {
        var mesh = MtlsMesh.Load(Reviews + yaml, instances.Length == 0 ? Instances : instances);
        var (resources, compiled) = mesh.Compile(MtlsMesh.Sidecar("default", "productpage"));
        compiled.Clusters.Should().ContainKey(cluster);
        return (resources.OfType<Cluster>().Single(c => c.Name == cluster), resources.OfType<ClusterLoadAssignment>().Single(c => c.ClusterName == cluster));
    }

    private static string? TlsMode(LbEndpoint endpoint) =>
        endpoint.Metadata?.FilterMetadata.TryGetValue("envoy.transport_socket_match", out var s) == true ? s.Fields["tlsMode"].StringValue : null;

    [Fact]
    public void Only_endpoints_with_a_sidecar_carry_tlsMode_istio()
    {
        var (_, cla) = For("", "outbound|9080||reviews.default.svc.cluster.local");

        var endpoints = cla.Endpoints.SelectMany(l => l.LbEndpoints).ToDictionary(e => e.Endpoint.Address.SocketAddress.Address);
        TlsMode(endpoints["10.0.0.1"]).Should().Be("istio");
        endpoints["10.0.0.1"].Endpoint.Address.SocketAddress.PortValue.Should().Be(15006u);
        TlsMode(endpoints["10.0.0.2"]).Should().BeNull();
    }

    [Fact]
    public void WorkloadEntry_labelled_with_the_tls_mode_is_a_sidecar_endpoint()
    {
        var (_, cla) = For("""
            apiVersion: networking.istio.io/v1
            kind: WorkloadEntry
            metadata: {name: vm1, namespace: default}
            spec:
              address: 10.0.0.7
              labels: {app: reviews, security.istio.io/tlsMode: istio}
            """, "outbound|9080||reviews.default.svc.cluster.local", MtlsMesh.Instance("default", "other", "10.9.9.9", sidecar: false));

        TlsMode(cla.Endpoints.SelectMany(l => l.LbEndpoints).Single()).Should().Be("istio");
    }

    [Fact]
    public void Cluster_without_destination_rule_tls_matches_istio_endpoints_to_mtls_and_others_to_plaintext()
    {
        var (cluster, _) = For("", "outbound|9080||reviews.default.svc.cluster.local");

        cluster.TransportSocket.Should().BeNull();
        cluster.TransportSocketMatches.Select(m => m.Name).Should().Equal("tlsMode-istio", "tlsMode-disabled");
        cluster.TransportSocketMatches[0].Match.Fields["tlsMode"].StringValue.Should().Be("istio");
        cluster.TransportSocketMatches[1].Match.Fields.Should().BeEmpty();
        cluster.TransportSocketMatches[1].TransportSocket.Name.Should().Be("envoy.transport_sockets.raw_buffer");
        var tls = cluster.TransportSocketMatches[0].TransportSocket.TypedConfig.Unpack<UpstreamTlsContext>();
        tls.Sni.Should().Be("outbound_.9080_._.reviews.default.svc.cluster.local");
        tls.CommonTlsContext.AlpnProtocols.Should().Equal("istio-peer-exchange", "istio");
        tls.CommonTlsContext.TlsCertificateSdsSecretConfigs.Single().Name.Should().Be("default");
        var validation = tls.CommonTlsContext.CombinedValidationContext;
        validation.ValidationContextSdsSecretConfig.Name.Should().Be("ROOTCA");
        validation.DefaultValidationContext.MatchTypedSubjectAltNames.Select(m => (m.SanType, m.Matcher.Exact)).Should().Equal(
            (SubjectAltNameMatcher.Types.SanType.Uri, "spiffe://cluster.local/ns/default/sa/bookinfo-reviews"),
            (SubjectAltNameMatcher.Types.SanType.Uri, "spiffe://cluster.local/ns/default/sa/legacy"));
    }

    [Fact]
    public void Http2_port_offers_h2_after_istio_alpn()
    {
        var (cluster, _) = For("", "outbound|9090||reviews.default.svc.cluster.local");

        cluster.TransportSocketMatches[0].TransportSocket.TypedConfig.Unpack<UpstreamTlsContext>().CommonTlsContext.AlpnProtocols
            .Should().Equal("istio-peer-exchange", "istio", "h2");
    }

    [Fact]
    public void Destination_with_peer_authentication_disable_gets_plaintext_endpoints()
    {
        var (cluster, cla) = For("""
            apiVersion: security.istio.io/v1
            kind: PeerAuthentication
            metadata: {name: off, namespace: default}
            spec:
              selector: {matchLabels: {app: reviews}}
              mtls: {mode: DISABLE}
            """, "outbound|9080||reviews.default.svc.cluster.local");

        cla.Endpoints.SelectMany(l => l.LbEndpoints).Select(TlsMode).Should().AllSatisfy(m => m.Should().BeNull());
        cluster.TransportSocketMatches.Should().HaveCount(2, "the cluster keeps its matches; no endpoint selects mTLS");
    }

    [Fact]
    public void Port_level_disable_on_the_target_port_drops_the_label_only_there()
    {
        var yaml = """
            apiVersion: security.istio.io/v1
            kind: PeerAuthentication
            metadata: {name: off, namespace: default}
            spec:
              selector: {matchLabels: {app: reviews}}
              portLevelMtls: {9090: {mode: DISABLE}}
            """;
        var sidecar = Instances[..1];

        TlsMode(For(yaml, "outbound|9080||reviews.default.svc.cluster.local", sidecar).Endpoints.Endpoints[0].LbEndpoints[0]).Should().Be("istio");
        TlsMode(For(yaml, "outbound|9090||reviews.default.svc.cluster.local", sidecar).Endpoints.Endpoints[0].LbEndpoints[0]).Should().BeNull();
    }

    [Fact]
    public void Mesh_external_service_entry_gets_no_auto_mtls()
    {
        var mesh = MtlsMesh.Load("""
            apiVersion: networking.istio.io/v1
            kind: ServiceEntry
            metadata: {name: ext, namespace: default}
            spec:
              hosts: [api.example.com]
              location: MESH_EXTERNAL
              resolution: DNS
              ports: [{number: 443, name: https, protocol: HTTPS}]
            """);
        var (resources, _) = mesh.Compile(MtlsMesh.Sidecar("default", "productpage"));

        var cluster = resources.OfType<Cluster>().Single(c => c.Name == "outbound|443||api.example.com");
        cluster.TransportSocketMatches.Should().BeEmpty();
        cluster.TransportSocket.Should().BeNull();
    }

    [Fact]
    public void Trust_domain_comes_from_mesh_settings()
    {
        var mesh = MtlsMesh.Load(Reviews, Instances[..1], new Rigging.ControlPlane.Translation.MeshSettings { TrustDomain = "example.org" });
        var cluster = mesh.Generate(MtlsMesh.Sidecar("default", "productpage")).OfType<Cluster>().First();

        cluster.TransportSocketMatches[0].TransportSocket.TypedConfig.Unpack<UpstreamTlsContext>().CommonTlsContext.CombinedValidationContext
            .DefaultValidationContext.MatchTypedSubjectAltNames.Single().Matcher.Exact.Should().Be("spiffe://example.org/ns/default/sa/bookinfo-reviews");
    }
}
