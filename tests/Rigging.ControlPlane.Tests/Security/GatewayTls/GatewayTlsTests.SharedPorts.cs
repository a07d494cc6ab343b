using Envoy.Config.Listener.V3;
using Envoy.Config.Route.V3;
using Envoy.Extensions.TransportSockets.Tls.V3;
using FluentAssertions;

namespace Rigging.ControlPlane.Tests.Security.GatewayTls;

/// <summary>Several servers on one port, from one or several Gateways: Istio's merge rules.</summary>
public sealed partial class GatewayTlsTests
{
    private static string NamedGateway(string name, string servers) => $"""

        ---
        apiVersion: networking.istio.io/v1
        kind: Gateway
        metadata: {"{"}name: {name}, namespace: istio-system{"}"}
        spec:
          selector: {"{"}istio: ingressgateway{"}"}
          servers:
        {servers}
        """;

    private const string ApiRoute = """

        ---
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata: {name: api, namespace: default}
        spec:
          hosts: [api.example.com]
          gateways: [istio-system/gw2]
          http:
          - route: [{destination: {host: web, port: {number: 8080}}}]
        """;

    [Fact]
    public void Https_servers_of_two_gateways_on_one_port_are_two_sni_chains_with_their_own_route_tables()
    {
        TestCertificates.Write(_config, "web-cert", "web.example.com", withCa: false);
        TestCertificates.Write(_config, "api-cert", "api.example.com", withCa: false);

        var (resources, compiled, mesh) = Translate(NamedGateway("gw", """
              - port: {number: 443, name: https, protocol: HTTPS}
                hosts: [web.example.com]
                tls: {mode: SIMPLE, credentialName: web-cert}
            """) + NamedGateway("gw2", """
              - port: {number: 443, name: https-api, protocol: HTTPS}
                hosts: [api.example.com]
                tls: {mode: SIMPLE, credentialName: api-cert}
            """) + ApiRoute);

        mesh.Push.Issues.Should().BeEmpty();
        var chains = resources.OfType<Listener>().Single(l => l.Name == "0.0.0.0_443").FilterChains;
        chains.Select(c => (c.FilterChainMatch.ServerNames.Single(), TlsOf(c).CommonTlsContext.TlsCertificateSdsSecretConfigs.Single().Name))
            .Should().Equal(("web.example.com", "kubernetes://web-cert"), ("api.example.com", "kubernetes://api-cert"));
        var tables = resources.OfType<RouteConfiguration>().ToDictionary(t => t.Name);
        tables["https.443.https.gw.istio-system"].VirtualHosts.SelectMany(v => v.Domains).Should().Contain("web.example.com").And.NotContain("api.example.com");
        tables["https.443.https-api.gw2.istio-system"].VirtualHosts.SelectMany(v => v.Domains).Should().Contain("api.example.com").And.NotContain("web.example.com");
        compiled.Listeners.Should().ContainKey("0.0.0.0_443");
    }

    [Fact]
    public void A_host_repeated_on_one_port_keeps_the_first_server_by_gateway_name_and_reports_the_other()
    {
        TestCertificates.Write(_config, "web-cert", "web.example.com", withCa: false);
        TestCertificates.Write(_config, "web-cert-2", "web.example.com", withCa: false);

        // gw-b is listed first in the file; gw-a still wins (Istio orders by creation time, then name).
        var (resources, _, mesh) = Translate(NamedGateway("gw-b", """
              - port: {number: 443, name: https, protocol: HTTPS}
                hosts: [web.example.com]
                tls: {mode: SIMPLE, credentialName: web-cert-2}
            """) + NamedGateway("gw-a", """
              - port: {number: 443, name: https, protocol: HTTPS}
                hosts: [web.example.com, other.example.com]
                tls: {mode: SIMPLE, credentialName: web-cert}
            """));

        var chain = resources.OfType<Listener>().Single().FilterChains.Should().ContainSingle().Subject;
        TlsOf(chain).CommonTlsContext.TlsCertificateSdsSecretConfigs.Single().Name.Should().Be("kubernetes://web-cert");
        resources.OfType<Secret>().Select(s => s.Name).Should().Equal("kubernetes://web-cert");
        mesh.Push.Issues.Values.Should().ContainSingle().Which.Should()
            .StartWith("Gateway istio-system/gw-b: spec.servers[0]: duplicate host names on port 443: web.example.com (already in Gateway istio-system/gw-a: spec.servers[0])")
            .And.EndWith("the server is not served");
    }

    [Fact]
    public void An_http_and_an_https_server_cannot_share_a_port_and_the_later_one_is_reported()
    {
        TestCertificates.Write(_config, "web-cert", "web.example.com", withCa: false);

        var (resources, _, mesh) = Translate(Gateway("""
              - port: {number: 8080, name: http, protocol: HTTP}
                hosts: [web.example.com]
              - port: {number: 8080, name: https, protocol: HTTPS}
                hosts: [secure.example.com]
                tls: {mode: SIMPLE, credentialName: web-cert}
            """));

        var chain = resources.OfType<Listener>().Single().FilterChains.Should().ContainSingle().Subject;
        chain.TransportSocket.Should().BeNull("the plain HTTP server came first");
        resources.OfType<Secret>().Should().BeEmpty();
        mesh.Push.Issues.Values.Should().ContainSingle().Which.Should()
            .Contain("spec.servers[1]").And.Contain("port 8080 already serves HTTP (from Gateway istio-system/gw: spec.servers[0]); a HTTPS server cannot share it");
    }

    [Fact]
    public void A_plain_http_server_after_an_https_server_on_its_port_is_refused()
    {
        TestCertificates.Write(_config, "web-cert", "web.example.com", withCa: false);

        var (resources, _, mesh) = Translate(Gateway("""
              - port: {number: 443, name: https, protocol: HTTPS}
                hosts: [web.example.com]
                tls: {mode: SIMPLE, credentialName: web-cert}
              - port: {number: 443, name: http, protocol: HTTP}
                hosts: [plain.example.com]
            """));

        resources.OfType<Listener>().Single().FilterChains.Should().ContainSingle().Which.TransportSocket.Should().NotBeNull();
        resources.OfType<RouteConfiguration>().Select(t => t.Name).Should().Equal("https.443.https.gw.istio-system");
        mesh.Push.Issues.Values.Should().ContainSingle().Which.Should().Contain("spec.servers[1]").And.Contain("a plaintext HTTP server cannot share it");
    }
}
