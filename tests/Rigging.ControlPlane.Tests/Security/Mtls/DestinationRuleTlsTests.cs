using Envoy.Config.Cluster.V3;
using Envoy.Extensions.TransportSockets.Tls.V3;
using FluentAssertions;
using Rigging.ControlPlane.Model;

namespace Rigging.ControlPlane.Tests.Security.Mtls;

/// <summary>DestinationRule tls modes (rule, port and subset level) → the cluster's transport socket.</summary>
public sealed class DestinationRuleTlsTests : IDisposable
{
    // The proxy reads certificate files named in its config when it compiles it, as Envoy does: they must exist.
    private readonly string _files = Rigging.ControlPlane.Tests.Host.TempDirectory.Create();

    public DestinationRuleTlsTests()
    {
        var (cert, key, ca) = GatewayTls.TestCertificates.ServerFor("client.example.com");
        File.WriteAllText(Path.Combine(_files, "cert.pem"), cert);
        File.WriteAllText(Path.Combine(_files, "key.pem"), key);
        File.WriteAllText(Path.Combine(_files, "ca.pem"), ca);
    }

    public void Dispose() => Rigging.ControlPlane.Tests.Host.TempDirectory.Delete(_files);

    private const string Reviews = """
        apiVersion: v1
        kind: Service
        metadata: {name: reviews, namespace: default}
        spec:
          selector: {app: reviews}
          ports: [{name: http, port: 9080}, {name: http-admin, port: 9443}]
        ---

        """;

    private static readonly WorkloadInstance[] Instances =
    [
        MtlsMesh.Instance("default", "reviews", "10.0.0.1", sidecar: true, serviceAccount: "reviews-v1", version: "v1"),
        MtlsMesh.Instance("default", "reviews", "10.0.0.2", sidecar: true, serviceAccount: "reviews-v2", version: "v2"),
    ];

    private Dictionary<string, Cluster> Clusters(string rule)
    {
        var mesh = MtlsMesh.Load(Reviews + rule, Instances);
        var (resources, compiled) = mesh.Compile(MtlsMesh.Sidecar("default", "productpage"));
        var clusters = resources.OfType<Cluster>().ToDictionary(c => c.Name);
        compiled.Clusters.Keys.Should().BeEquivalentTo(clusters.Keys);
        return clusters;
    }

    private static string Rule(string trafficPolicy, string subsets = "") => $"""
        apiVersion: networking.istio.io/v1
        kind: DestinationRule
        metadata: {"{"}name: reviews, namespace: default{"}"}
        spec:
          host: reviews
          trafficPolicy:
        {trafficPolicy}{subsets}
        """;

    private static UpstreamTlsContext Tls(Cluster cluster)
    {
        cluster.TransportSocketMatches.Should().BeEmpty();
        cluster.TransportSocket.Name.Should().Be("envoy.transport_sockets.tls");
        return cluster.TransportSocket.TypedConfig.Unpack<UpstreamTlsContext>();
    }

    private const string Default = "outbound|9080||reviews.default.svc.cluster.local";

    [Fact]
    public void Istio_mutual_always_originates_mtls_with_the_service_accounts_as_expected_identities()
    {
        var tls = Tls(Clusters(Rule("    tls: {mode: ISTIO_MUTUAL}"))[Default]);

        tls.Sni.Should().Be("outbound_.9080_._.reviews.default.svc.cluster.local");
        tls.CommonTlsContext.TlsCertificateSdsSecretConfigs.Single().Name.Should().Be("default");
        tls.CommonTlsContext.CombinedValidationContext.ValidationContextSdsSecretConfig.Name.Should().Be("ROOTCA");
        tls.CommonTlsContext.CombinedValidationContext.DefaultValidationContext.MatchTypedSubjectAltNames
            .Select(m => m.Matcher.Exact).Should().Equal("spiffe://cluster.local/ns/default/sa/reviews-v1", "spiffe://cluster.local/ns/default/sa/reviews-v2");
    }

    [Fact]
    public void Istio_mutual_with_its_own_sni_and_names_uses_them()
    {
        var tls = Tls(Clusters(Rule("    tls: {mode: ISTIO_MUTUAL, sni: reviews.internal, subjectAltNames: [spiffe://other/ns/x/sa/y]}"))[Default]);

        tls.Sni.Should().Be("reviews.internal");
        tls.CommonTlsContext.CombinedValidationContext.DefaultValidationContext.MatchTypedSubjectAltNames.Single().Matcher.Exact.Should().Be("spiffe://other/ns/x/sa/y");
    }

    [Fact]
    public void Disable_sends_plaintext_even_to_sidecars()
    {
        var cluster = Clusters(Rule("    tls: {mode: DISABLE}"))[Default];

        cluster.TransportSocket.Should().BeNull();
        cluster.TransportSocketMatches.Should().BeEmpty();
    }

    [Fact]
    public void Simple_with_a_ca_file_verifies_the_server_by_sni_and_names()
    {
        var tls = Tls(Clusters(Rule($"    tls: {{mode: SIMPLE, caCertificates: {_files}/ca.pem, sni: reviews.example.com, subjectAltNames: [reviews.example.com]}}"))[Default]);

        tls.Sni.Should().Be("reviews.example.com");
        tls.CommonTlsContext.TlsCertificates.Should().BeEmpty();
        tls.CommonTlsContext.TlsCertificateSdsSecretConfigs.Should().BeEmpty();
        tls.CommonTlsContext.ValidationContext.TrustedCa.Filename.Should().Be($"{_files}/ca.pem");
        var san = tls.CommonTlsContext.ValidationContext.MatchTypedSubjectAltNames.Single();
        (san.SanType, san.Matcher.Exact).Should().Be((SubjectAltNameMatcher.Types.SanType.Dns, "reviews.example.com"));
    }

    [Fact]
    public void Simple_without_ca_certificates_verifies_the_server_against_the_system_bundle_with_the_host_as_sni()
    {
        var tls = Tls(Clusters(Rule("    tls: {mode: SIMPLE}"))[Default]);

        tls.Sni.Should().Be("reviews.default.svc.cluster.local");
        tls.CommonTlsContext.ValidationContext.TrustedCa.Filename.Should().Be("/etc/ssl/certs/ca-certificates.crt");
        tls.CommonTlsContext.ValidationContext.MatchTypedSubjectAltNames.Should().BeEmpty();
    }

    [Fact]
    public void Simple_with_insecure_skip_verify_does_not_verify_the_server()
    {
        var tls = Tls(Clusters(Rule("    tls: {mode: SIMPLE, insecureSkipVerify: true}"))[Default]);

        tls.CommonTlsContext.ValidationContextTypeCase.Should().Be(CommonTlsContext.ValidationContextTypeOneofCase.None);
        tls.Sni.Should().Be("reviews.default.svc.cluster.local");
    }

    [Fact]
    public void Mutual_with_files_presents_the_client_certificate()
    {
        var tls = Tls(Clusters(Rule($"    tls: {{mode: MUTUAL, clientCertificate: {_files}/cert.pem, privateKey: {_files}/key.pem, caCertificates: {_files}/ca.pem}}"))[Default]);

        tls.CommonTlsContext.TlsCertificates.Single().CertificateChain.Filename.Should().Be($"{_files}/cert.pem");
        tls.CommonTlsContext.TlsCertificates.Single().PrivateKey.Filename.Should().Be($"{_files}/key.pem");
        tls.CommonTlsContext.ValidationContext.TrustedCa.Filename.Should().Be($"{_files}/ca.pem");
    }

    [Fact]
    public void Mutual_with_a_credential_name_takes_certificate_and_ca_over_sds()
    {
        var tls = Tls(Clusters(Rule("    tls: {mode: MUTUAL, credentialName: reviews-client}"))[Default]);

        tls.CommonTlsContext.TlsCertificateSdsSecretConfigs.Single().Name.Should().Be("kubernetes://reviews-client");
        tls.CommonTlsContext.CombinedValidationContext.ValidationContextSdsSecretConfig.Name.Should().Be("kubernetes://reviews-client-cacert");
    }

    [Fact]
    public void Port_level_tls_overrides_the_rule_on_that_port_only()
    {
        var clusters = Clusters(Rule("""
                tls: {mode: DISABLE}
                portLevelSettings:
                - port: {number: 9443}
                  tls: {mode: ISTIO_MUTUAL}
            """));

        clusters[Default].TransportSocket.Should().BeNull();
        Tls(clusters["outbound|9443||reviews.default.svc.cluster.local"]).Sni.Should().Be("outbound_.9443_._.reviews.default.svc.cluster.local");
    }

    [Fact]
    public void Subset_level_tls_overrides_the_rule_for_that_subset()
    {
        var clusters = Clusters(Rule("    loadBalancer: {simple: ROUND_ROBIN}", """

              subsets:
              - name: v1
                labels: {version: v1}
                trafficPolicy:
                  tls: {mode: ISTIO_MUTUAL}
              - name: v2
                labels: {version: v2}
                trafficPolicy:
                  tls: {mode: DISABLE}
            """));

        clusters[Default].TransportSocketMatches.Should().HaveCount(2, "no tls at rule level: auto mTLS");
        Tls(clusters["outbound|9080|v1|reviews.default.svc.cluster.local"]).Sni.Should().Be("outbound_.9080_.v1_.reviews.default.svc.cluster.local");
        clusters["outbound|9080|v2|reviews.default.svc.cluster.local"].TransportSocket.Should().BeNull();
        clusters["outbound|9080|v2|reviews.default.svc.cluster.local"].TransportSocketMatches.Should().BeEmpty();
    }
}
