using Envoy.Config.Listener.V3;
using Envoy.Config.Route.V3;
using Envoy.Extensions.Filters.Network.HttpConnectionManager.V3;
using Envoy.Extensions.Filters.Network.TcpProxy.V3;
using Envoy.Extensions.TransportSockets.Tls.V3;
using FluentAssertions;
using Rigging.ControlPlane.Config.Secrets;
using Rigging.ControlPlane.Tests.Host;
using Rigging.ControlPlane.Tests.Security.Mtls;

namespace Rigging.ControlPlane.Tests.Security.GatewayTls;

/// <summary>Gateway servers: SIMPLE / MUTUAL with credentials from the secrets directory, files, PASSTHROUGH, httpsRedirect.</summary>
public sealed partial class GatewayTlsTests : IDisposable
{
    private readonly string _config = TempDirectory.Create();

    public void Dispose() => TempDirectory.Delete(_config);

    private const string App = """
        apiVersion: v1
        kind: Service
        metadata: {name: web, namespace: default}
        spec:
          selector: {app: web}
          ports: [{name: http, port: 8080}, {name: tls, port: 443}]
        ---
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata: {name: web, namespace: default}
        spec:
          hosts: [web.example.com]
          gateways: [istio-system/gw]
          http:
          - route: [{destination: {host: web, port: {number: 8080}}}]
        ---

        """;

    private static string Gateway(string servers) => $"""
        apiVersion: networking.istio.io/v1
        kind: Gateway
        metadata: {"{"}name: gw, namespace: istio-system{"}"}
        spec:
          selector: {"{"}istio: ingressgateway{"}"}
          servers:
        {servers}
        """;

    private (IReadOnlyList<Google.Protobuf.IMessage> Resources, Rigging.Proxy.Config.CompiledConfig Compiled, MtlsMesh Mesh) Translate(string yaml)
    {
        var credentials = CredentialDirectory.UnderConfig(_config).Load();
        var mesh = MtlsMesh.Load(App + yaml, credentials: credentials);
        var (resources, compiled) = mesh.Compile(MtlsMesh.Gateway());
        return (resources, compiled, mesh);
    }

    private static DownstreamTlsContext TlsOf(FilterChain chain) => chain.TransportSocket.TypedConfig.Unpack<DownstreamTlsContext>();

    [Fact]
    public void Simple_server_with_credential_name_serves_that_secret_over_sds_and_matches_by_sni()
    {
        TestCertificates.Write(_config, "web-cert", "web.example.com", withCa: false);
        TestCertificates.Write(_config, "unrelated", "other.example.com", withCa: true);

        var (resources, compiled, _) = Translate(Gateway("""
              - port: {number: 443, name: https, protocol: HTTPS}
                hosts: [web.example.com]
                tls: {mode: SIMPLE, credentialName: web-cert}
            """));

        var listener = resources.OfType<Listener>().Single(l => l.Name == "0.0.0.0_443");
        compiled.Listeners.Should().ContainKey("0.0.0.0_443");
        var chain = listener.FilterChains.Should().ContainSingle().Subject;
        chain.FilterChainMatch.ServerNames.Should().Equal("web.example.com");
        var tls = TlsOf(chain);
        tls.RequireClientCertificate.Should().BeFalse();
        tls.CommonTlsContext.AlpnProtocols.Should().Equal("h2", "http/1.1");
        tls.CommonTlsContext.TlsCertificateSdsSecretConfigs.Single().Name.Should().Be("kubernetes://web-cert");
        tls.CommonTlsContext.ValidationContextTypeCase.Should().Be(CommonTlsContext.ValidationContextTypeOneofCase.None);

        var secret = resources.OfType<Secret>().Should().ContainSingle("only the credential a server names is sent").Subject;
        secret.Name.Should().Be("kubernetes://web-cert");
        secret.TlsCertificate.CertificateChain.InlineBytes.ToStringUtf8().Should().StartWith("-----BEGIN CERTIFICATE-----");
        secret.TlsCertificate.PrivateKey.InlineBytes.ToStringUtf8().Should().Contain("PRIVATE KEY");

        var hcm = chain.Filters.Single().TypedConfig.Unpack<HttpConnectionManager>();
        hcm.Rds.RouteConfigName.Should().Be("https.443.https.gw.istio-system");
        resources.OfType<RouteConfiguration>().Single(r => r.Name == hcm.Rds.RouteConfigName).VirtualHosts.Single().Domains.Should().Contain("web.example.com");
        hcm.ForwardClientCertDetails.Should().Be(HttpConnectionManager.Types.ForwardClientCertDetails.SanitizeSet);
    }

    [Fact]
    public void Mutual_server_requires_client_certificates_checked_against_the_credentials_ca()
    {
        TestCertificates.Write(_config, "web-cert", "web.example.com", withCa: true);

        var (resources, _, _) = Translate(Gateway("""
              - port: {number: 443, name: https, protocol: HTTPS}
                hosts: [web.example.com]
                tls: {mode: MUTUAL, credentialName: web-cert}
            """));

        var tls = TlsOf(resources.OfType<Listener>().Single().FilterChains.Single());
        tls.RequireClientCertificate.Should().BeTrue();
        tls.CommonTlsContext.CombinedValidationContext.ValidationContextSdsSecretConfig.Name.Should().Be("kubernetes://web-cert-cacert");
        var secrets = resources.OfType<Secret>().ToDictionary(s => s.Name);
        secrets.Keys.Should().BeEquivalentTo("kubernetes://web-cert", "kubernetes://web-cert-cacert");
        secrets["kubernetes://web-cert-cacert"].ValidationContext.TrustedCa.InlineBytes.ToStringUtf8().Should().StartWith("-----BEGIN CERTIFICATE-----");
    }

    [Fact]
    public void Missing_credential_is_reported_and_the_server_is_left_out()
    {
        var (resources, _, mesh) = Translate(Gateway("""
              - port: {number: 443, name: https, protocol: HTTPS}
                hosts: [web.example.com]
                tls: {mode: SIMPLE, credentialName: nowhere}
            """));

        resources.OfType<Listener>().Should().BeEmpty();
        resources.OfType<Secret>().Should().BeEmpty();
        mesh.Push.Issues.Values.Should().ContainSingle().Which.Should().Contain("credentialName nowhere").And.Contain("Gateway istio-system/gw: spec.servers[0]");
    }

    [Fact]
    public void Simple_server_with_certificate_files_names_the_files()
    {
        var (cert, key, _) = TestCertificates.ServerFor("web.example.com");
        File.WriteAllText(Path.Combine(_config, "cert.pem"), cert);
        File.WriteAllText(Path.Combine(_config, "key.pem"), key);
        var (resources, _, _) = Translate(Gateway($$"""
              - port: {number: 443, name: https, protocol: HTTPS}
                hosts: ["*"]
                tls: {mode: SIMPLE, serverCertificate: {{_config}}/cert.pem, privateKey: {{_config}}/key.pem}
            """));

        var chain = resources.OfType<Listener>().Single().FilterChains.Single();
        chain.FilterChainMatch.ServerNames.Should().BeEmpty("a server for any host matches every SNI");
        var certificate = TlsOf(chain).CommonTlsContext.TlsCertificates.Single();
        certificate.CertificateChain.Filename.Should().Be($"{_config}/cert.pem");
        certificate.PrivateKey.Filename.Should().Be($"{_config}/key.pem");
    }

    [Fact]
    public void Passthrough_server_tunnels_by_sni_to_the_tls_routes_cluster()
    {
        var (resources, compiled, _) = Translate(Gateway("""
              - port: {number: 443, name: tls, protocol: TLS}
                hosts: [web.example.com]
                tls: {mode: PASSTHROUGH}
            """) + """

            ---
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {name: web-tls, namespace: default}
            spec:
              hosts: [web.example.com]
              gateways: [istio-system/gw]
              tls:
              - match: [{port: 443, sniHosts: [web.example.com]}]
                route: [{destination: {host: web, port: {number: 443}}}]
            """);

        var chain = resources.OfType<Listener>().Single(l => l.Name == "0.0.0.0_443").FilterChains.Single();
        chain.FilterChainMatch.ServerNames.Should().Equal("web.example.com");
        chain.TransportSocket.Should().BeNull("passthrough does not terminate TLS");
        chain.Filters.Single().TypedConfig.Unpack<TcpProxy>().Cluster.Should().Be("outbound|443||web.default.svc.cluster.local");
        compiled.Clusters.Should().ContainKey("outbound|443||web.default.svc.cluster.local");
    }

    [Fact]
    public void Https_redirect_server_virtual_hosts_require_tls()
    {
        var (resources, compiled, _) = Translate(Gateway("""
              - port: {number: 80, name: http, protocol: HTTP}
                hosts: [web.example.com]
                tls: {httpsRedirect: true}
            """));

        var table = resources.OfType<RouteConfiguration>().Single(r => r.Name == "http.80");
        table.VirtualHosts.Single().RequireTls.Should().Be(VirtualHost.Types.TlsRequirementType.All);
        compiled.Routes["http.80"].FindVirtualHost("web.example.com")!.RequireTls.Should().NotBe(default);
    }

    [Fact]
    public void Istio_mutual_server_uses_the_workload_certificate_and_mesh_root()
    {
        var (resources, _, _) = Translate(Gateway("""
              - port: {number: 15443, name: https, protocol: HTTPS}
                hosts: [web.example.com]
                tls: {mode: ISTIO_MUTUAL}
            """));

        var tls = TlsOf(resources.OfType<Listener>().Single().FilterChains.Single());
        tls.RequireClientCertificate.Should().BeTrue();
        tls.CommonTlsContext.TlsCertificateSdsSecretConfigs.Single().Name.Should().Be("default");
        tls.CommonTlsContext.CombinedValidationContext.ValidationContextSdsSecretConfig.Name.Should().Be("ROOTCA");
        resources.OfType<Secret>().Should().BeEmpty();
    }
}
