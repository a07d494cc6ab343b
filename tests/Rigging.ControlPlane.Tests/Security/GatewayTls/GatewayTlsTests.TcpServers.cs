using Envoy.Config.Listener.V3;
using Envoy.Extensions.Filters.Network.TcpProxy.V3;
using Envoy.Extensions.TransportSockets.Tls.V3;
using FluentAssertions;

namespace Rigging.ControlPlane.Tests.Security.GatewayTls;

/// <summary>TLS and TCP servers that are not PASSTHROUGH: TLS terminated by the gateway, bytes sent by the VirtualService tcp route.</summary>
public sealed partial class GatewayTlsTests
{
    private const string TcpRoute = """

        ---
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata: {name: db, namespace: default}
        spec:
          hosts: [db.example.com]
          gateways: [istio-system/gw]
          tcp:
          - match: [{port: 9000}]
            route: [{destination: {host: web, port: {number: 8080}}}]
          - match: [{port: 9443}]
            route: [{destination: {host: web, port: {number: 443}}}]
        """;

    [Fact]
    public void Tls_server_with_simple_tls_terminates_and_sends_the_decrypted_bytes_by_the_tcp_route()
    {
        TestCertificates.Write(_config, "db-cert", "db.example.com", withCa: false);

        var (resources, compiled, mesh) = Translate(Gateway("""
              - port: {number: 9443, name: tls-db, protocol: TLS}
                hosts: [db.example.com]
                tls: {mode: SIMPLE, credentialName: db-cert}
            """) + TcpRoute);

        mesh.Push.Issues.Should().BeEmpty();
        var chain = resources.OfType<Listener>().Single(l => l.Name == "0.0.0.0_9443").FilterChains.Should().ContainSingle().Subject;
        chain.FilterChainMatch.ServerNames.Should().Equal("db.example.com");
        var tls = TlsOf(chain);
        tls.RequireClientCertificate.Should().BeFalse();
        tls.CommonTlsContext.AlpnProtocols.Should().Equal("h2", "http/1.1");
        tls.CommonTlsContext.TlsCertificateSdsSecretConfigs.Single().Name.Should().Be("kubernetes://db-cert");
        chain.Filters.Single().TypedConfig.Unpack<TcpProxy>().Cluster.Should().Be("outbound|443||web.default.svc.cluster.local", "the tcp rule for port 9443, not the first rule");
        resources.OfType<Secret>().Single().Name.Should().Be("kubernetes://db-cert");
        compiled.Listeners.Should().ContainKey("0.0.0.0_9443");
    }

    [Fact]
    public void Istio_mutual_tls_server_requires_mesh_clients_and_offers_istios_tcp_alpn()
    {
        var (resources, _, _) = Translate(Gateway("""
              - port: {number: 9443, name: tls-db, protocol: TLS}
                hosts: [db.example.com]
                tls: {mode: ISTIO_MUTUAL}
            """) + TcpRoute);

        var tls = TlsOf(resources.OfType<Listener>().Single().FilterChains.Single());
        tls.RequireClientCertificate.Should().BeTrue();
        tls.CommonTlsContext.AlpnProtocols.Should().Equal("istio-peer-exchange", "h2", "http/1.1");
        tls.CommonTlsContext.CombinedValidationContext.ValidationContextSdsSecretConfig.Name.Should().Be("ROOTCA");
    }

    [Fact]
    public void Tcp_server_without_tls_sends_plaintext_by_the_tcp_route()
    {
        var (resources, compiled, _) = Translate(Gateway("""
              - port: {number: 9000, name: tcp-db, protocol: TCP}
                hosts: [db.example.com]
            """) + TcpRoute);

        var chain = resources.OfType<Listener>().Single(l => l.Name == "0.0.0.0_9000").FilterChains.Single();
        chain.TransportSocket.Should().BeNull();
        chain.FilterChainMatch.ServerNames.Should().BeEmpty();
        chain.Filters.Single().TypedConfig.Unpack<TcpProxy>().Cluster.Should().Be("outbound|8080||web.default.svc.cluster.local");
        compiled.Listeners.Should().ContainKey("0.0.0.0_9000");
    }

    [Fact]
    public void Tls_server_without_a_matching_tcp_route_has_no_listener()
    {
        TestCertificates.Write(_config, "db-cert", "db.example.com", withCa: false);

        var (resources, _, _) = Translate(Gateway("""
              - port: {number: 9443, name: tls-db, protocol: TLS}
                hosts: [other.example.com]
                tls: {mode: SIMPLE, credentialName: db-cert}
            """) + TcpRoute);

        resources.OfType<Listener>().Should().BeEmpty();
        resources.OfType<Secret>().Should().BeEmpty();
    }
}
