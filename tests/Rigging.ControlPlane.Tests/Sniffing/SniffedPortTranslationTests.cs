using Envoy.Config.Cluster.V3;
using Envoy.Config.Listener.V3;
using Envoy.Config.Route.V3;
using FluentAssertions;
using Rigging.ControlPlane.Model;
using Rigging.ControlPlane.Tests.Security.Mtls;
using Rigging.ControlPlane.Translation;
using Rigging.Proxy.Listeners;
using UpstreamHttp = Envoy.Extensions.Upstreams.Http.V3.HttpProtocolOptions;

namespace Rigging.ControlPlane.Tests.Sniffing;

/// <summary>
/// Istio's protocol selection for a port without a usable name: it is sniffed. The inbound listener gets an HTTP
/// chain (matched by application protocol) and a TCP chain per transport the PeerAuthentication allows; clusters
/// use the downstream protocol. The proxy compiles it and picks the chains as Envoy would.
/// </summary>
public sealed class SniffedPortTranslationTests
{
    private const int AppPort = 8080;

    private static string Service(string port) => $$$"""
        apiVersion: v1
        kind: Service
        metadata: {name: web, namespace: foo}
        spec:
          selector: {app: web}
          ports: [{{{port}}}]
        ---
        apiVersion: security.istio.io/v1
        kind: AuthorizationPolicy
        metadata: {name: paths, namespace: foo}
        spec:
          selector: {matchLabels: {app: web}}
          rules:
          - to:
            - operation: {paths: ["/open/*"]}
        """;

    private static string WithMode(string yaml, string mode) => yaml + $$"""

        ---
        apiVersion: security.istio.io/v1
        kind: PeerAuthentication
        metadata: {name: default, namespace: foo}
        spec:
          mtls: {mode: {{mode}}}
        """;

    [Theory]
    [InlineData("{port: 80, targetPort: 8080}", Protocol.Auto)]
    [InlineData("{name: web, port: 80, targetPort: 8080}", Protocol.Auto)]
    [InlineData("{name: udp-dns, port: 80, targetPort: 8080}", Protocol.Auto)]
    [InlineData("{name: http-web, port: 80, targetPort: 8080}", Protocol.Http)]
    [InlineData("{name: tcp, port: 80, targetPort: 8080}", Protocol.Tcp)]
    [InlineData("{name: web, appProtocol: http, port: 80, targetPort: 8080}", Protocol.Http)]
    [InlineData("{name: http, appProtocol: tcp, port: 80, targetPort: 8080}", Protocol.Tcp)]
    public void Port_protocol_follows_istio_selection(string port, Protocol expected)
    {
        var mesh = MtlsMesh.Load(Service(port));
        mesh.Push.Services.Single(s => s.Hostname == "web.foo.svc.cluster.local").Ports.Single().Protocol.Should().Be(expected);
    }

    [Fact]
    public void Permissive_sniffed_port_has_http_and_tcp_chains_for_mtls_and_for_plaintext()
    {
        var mesh = MtlsMesh.Load(WithMode(Service("{port: 80, targetPort: 8080}"), "PERMISSIVE"));
        var (resources, compiled) = mesh.Compile(MtlsMesh.Sidecar("foo", "web", AppPort));
        var inbound = resources.OfType<Listener>().Single(l => l.Name == ListenerGenerator.InboundName);

        inbound.FilterChains.Select(c => c.Name).Should().Equal(
            "inbound-mtls-http", "inbound-mtls-tcp", "inbound-tls-passthrough", "inbound-plaintext-http", "inbound-plaintext-tcp");
        inbound.FilterChains.Select(c => c.FilterChainMatch.TransportProtocol).Should().Equal("tls", "tls", "tls", "raw_buffer", "raw_buffer");
        inbound.FilterChains[0].FilterChainMatch.ApplicationProtocols.Should().Equal("istio-http/1.0", "istio-http/1.1", "istio-h2");
        inbound.FilterChains[1].FilterChainMatch.ApplicationProtocols.Should().Equal("istio-peer-exchange", "istio");
        inbound.FilterChains[2].FilterChainMatch.ApplicationProtocols.Should().BeEmpty();
        inbound.FilterChains[2].TransportSocket.Should().BeNull("TLS that is not the mesh's passes through");
        inbound.FilterChains[3].FilterChainMatch.ApplicationProtocols.Should().Equal("http/1.0", "http/1.1", "h2c");
        inbound.FilterChains.Where(c => c.Name.EndsWith("-http", StringComparison.Ordinal))
            .Should().OnlyContain(c => c.Filters.Single().Name == "envoy.filters.network.http_connection_manager");
        inbound.FilterChains.Where(c => c.Name.EndsWith("-tcp", StringComparison.Ordinal))
            .Should().OnlyContain(c => c.Filters.Last().Name == "envoy.filters.network.tcp_proxy" && c.FilterChainMatch.DestinationPort == 15006);
        resources.OfType<RouteConfiguration>().Should().Contain(r => r.Name == "inbound|8080||", "the HTTP chains route to the application");

        var listener = compiled.Listeners[ListenerGenerator.InboundName];
        listener.DetectsHttp.Should().BeTrue();
        Chain(listener, "raw_buffer", "http/1.1").Should().BeOfType<HttpConnectionManagerModel>();
        Chain(listener, "raw_buffer", "h2c").Should().BeOfType<HttpConnectionManagerModel>();
        Chain(listener, "raw_buffer").Should().BeOfType<TcpProxyModel>("bytes that are not HTTP");
        Chain(listener, "tls", "istio-http/1.1", "istio", "http/1.1").Should().BeOfType<HttpConnectionManagerModel>("a sidecar's HTTP/1.1 inside mTLS");
        Chain(listener, "tls", "istio-h2", "istio", "h2").Should().BeOfType<HttpConnectionManagerModel>("a sidecar's HTTP/2 inside mTLS");
        Chain(listener, "tls", "istio").Should().BeOfType<TcpProxyModel>().Which.Should().NotBeNull("a sidecar's TCP tunnel");
        listener.SelectChain(new ConnectionFacts(15006, "tls", null, ["istio"]))!.Name.Should().Be("inbound-mtls-tcp");
        listener.SelectChain(new ConnectionFacts(15006, "tls", null, ["h2", "http/1.1"]))!.Name.Should().Be("inbound-tls-passthrough", "a browser's TLS is not the mesh's");
        listener.SelectChain(new ConnectionFacts(15006, "tls", null, []))!.Name.Should().Be("inbound-tls-passthrough");
    }

    [Fact]
    public void Http_chain_carries_the_http_rules_and_tcp_chain_keeps_only_what_tcp_can_check()
    {
        var mesh = MtlsMesh.Load(WithMode(Service("{port: 80, targetPort: 8080}"), "STRICT"));
        var (resources, _) = mesh.Compile(MtlsMesh.Sidecar("foo", "web", AppPort));
        var inbound = resources.OfType<Listener>().Single(l => l.Name == ListenerGenerator.InboundName);
        inbound.FilterChains.Select(c => c.Name).Should().Equal("inbound-mtls-http", "inbound-mtls-tcp");

        var hcm = inbound.FilterChains[0].Filters.Single().TypedConfig
            .Unpack<Envoy.Extensions.Filters.Network.HttpConnectionManager.V3.HttpConnectionManager>();
        hcm.HttpFilters.Select(f => f.Name).Should().Contain("envoy.filters.http.rbac");
        hcm.HttpFilters.Single(f => f.Name == "envoy.filters.http.rbac").TypedConfig
            .Unpack<Envoy.Extensions.Filters.Http.Rbac.V3.RBAC>().ToString().Should().Contain("/open/");
        inbound.FilterChains[1].Filters.Select(f => f.Name).Should().Equal("envoy.filters.network.rbac", "envoy.filters.network.tcp_proxy");
    }

    [Fact]
    public void Clusters_of_a_sniffed_port_use_the_downstream_protocol()
    {
        var mesh = MtlsMesh.Load(Service("{port: 80, targetPort: 8080}"));
        var (resources, compiled) = mesh.Compile(MtlsMesh.Sidecar("foo", "web", AppPort));
        foreach (var name in new[] { "inbound|8080||", "outbound|80||web.foo.svc.cluster.local" })
        {
            var cluster = resources.OfType<Cluster>().Single(c => c.Name == name);
            var options = cluster.TypedExtensionProtocolOptions[ProtocolOptions.Key].Unpack<UpstreamHttp>();
            options.UpstreamProtocolOptionsCase.Should().Be(UpstreamHttp.UpstreamProtocolOptionsOneofCase.UseDownstreamProtocolConfig, name);
            var model = compiled.Clusters[name];
            (model.Http2, model.UseDownstreamProtocol).Should().Be((false, true), name);
            model.UpstreamHttp2(downstreamHttp2: true).Should().BeTrue();
            model.UpstreamHttp2(downstreamHttp2: false).Should().BeFalse();
        }
    }

    private static object? Chain(ListenerModel listener, string transport, params string[] protocols) =>
        listener.SelectChain(new ConnectionFacts(15006, transport, null, protocols))?.Filter;
}
