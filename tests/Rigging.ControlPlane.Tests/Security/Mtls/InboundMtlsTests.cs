using Envoy.Config.Listener.V3;
using Envoy.Extensions.Filters.Network.HttpConnectionManager.V3;
using Envoy.Extensions.TransportSockets.Tls.V3;
using FluentAssertions;
using Rigging.ControlPlane.Translation;

namespace Rigging.ControlPlane.Tests.Security.Mtls;

/// <summary>The sidecar inbound listener's filter chains per PeerAuthentication mode, compiled by the proxy.</summary>
public sealed class InboundMtlsTests
{
    private const string Service = """
        apiVersion: v1
        kind: Service
        metadata: {name: reviews, namespace: shop}
        spec:
          selector: {app: reviews}
          ports: [{name: http, port: 9080}]
        ---

        """;

    private static string Policy(string mode, string extra = "") => $"""
        apiVersion: security.istio.io/v1
        kind: PeerAuthentication
        metadata: {"{"}name: p, namespace: shop{"}"}
        spec:
          selector: {"{"}matchLabels: {"{"}app: reviews{"}"}{"}"}
          mtls: {"{"}mode: {mode}{"}"}{extra}
        """;

    private static Listener Inbound(string yaml)
    {
        var mesh = MtlsMesh.Load(Service + yaml);
        var (resources, compiled) = mesh.Compile(MtlsMesh.Sidecar("shop", "reviews"));
        compiled.Listeners.Should().ContainKey(ListenerGenerator.InboundName);
        return resources.OfType<Listener>().Single(l => l.Name == ListenerGenerator.InboundName);
    }

    [Fact]
    public void Strict_mode_has_only_a_tls_chain_that_requires_a_mesh_client_certificate()
    {
        var listener = Inbound(Policy("STRICT"));

        var chain = listener.FilterChains.Should().ContainSingle().Subject;
        chain.FilterChainMatch.TransportProtocol.Should().Be("tls");
        chain.TransportSocket.Name.Should().Be("envoy.transport_sockets.tls");
        var tls = chain.TransportSocket.TypedConfig.Unpack<DownstreamTlsContext>();
        tls.RequireClientCertificate.Should().BeTrue();
        tls.CommonTlsContext.TlsCertificateSdsSecretConfigs.Should().ContainSingle().Which.Name.Should().Be("default");
        tls.CommonTlsContext.TlsCertificateSdsSecretConfigs[0].SdsConfig.Ads.Should().NotBeNull();
        tls.CommonTlsContext.CombinedValidationContext.ValidationContextSdsSecretConfig.Name.Should().Be("ROOTCA");
        tls.CommonTlsContext.AlpnProtocols.Should().Equal("h2", "http/1.1");
    }

    [Fact]
    public void Permissive_mode_has_a_mesh_tls_chain_a_tls_passthrough_chain_and_a_plaintext_chain()
    {
        var listener = Inbound(Policy("PERMISSIVE"));

        listener.FilterChains.Select(c => c.Name).Should().Equal("inbound-mtls", "inbound-tls-passthrough", "inbound-plaintext");
        listener.FilterChains.Select(c => c.FilterChainMatch?.TransportProtocol).Should().Equal("tls", "tls", "raw_buffer");
        listener.FilterChains[0].FilterChainMatch.ApplicationProtocols.Should().Equal("istio-peer-exchange", "istio", "istio-http/1.0", "istio-http/1.1", "istio-h2");
        listener.FilterChains[1].TransportSocket.Should().BeNull("TLS that is not the mesh's goes to the application untouched");
        listener.FilterChains[1].Filters.Last().Name.Should().Be("envoy.filters.network.tcp_proxy");
        listener.FilterChains[2].TransportSocket.Should().BeNull();
    }

    [Fact]
    public void No_policy_is_permissive_on_the_wire()
    {
        Inbound("").FilterChains.Select(c => c.Name).Should().Equal("inbound-mtls", "inbound-tls-passthrough", "inbound-plaintext");
    }

    [Fact]
    public void Disable_mode_has_one_plaintext_chain()
    {
        var chain = Inbound(Policy("DISABLE")).FilterChains.Should().ContainSingle().Subject;
        chain.TransportSocket.Should().BeNull();
        chain.FilterChainMatch.Should().BeNull();
    }

    [Fact]
    public void Port_level_mode_for_the_application_port_decides_the_inbound_listener()
    {
        Inbound(Policy("STRICT", "\n  portLevelMtls: {9080: {mode: DISABLE}}")).FilterChains.Should().ContainSingle()
            .Which.TransportSocket.Should().BeNull();
        Inbound(Policy("DISABLE", "\n  portLevelMtls: {8080: {mode: STRICT}}")).FilterChains.Should().ContainSingle()
            .Which.TransportSocket.Should().BeNull("port 8080 is not this workload's application port");
    }

    [Fact]
    public void Inbound_connection_manager_appends_the_callers_certificate_to_xfcc()
    {
        var hcm = Inbound(Policy("STRICT")).FilterChains[0].Filters.Single().TypedConfig.Unpack<HttpConnectionManager>();

        hcm.ForwardClientCertDetails.Should().Be(HttpConnectionManager.Types.ForwardClientCertDetails.AppendForward);
        hcm.SetCurrentClientCertDetails.Subject.Should().BeTrue();
        hcm.SetCurrentClientCertDetails.Uri.Should().BeTrue();
        hcm.SetCurrentClientCertDetails.Dns.Should().BeTrue();
        hcm.SetCurrentClientCertDetails.Cert.Should().BeFalse();
        hcm.HttpFilters.Select(f => f.Name).Should().EndWith(["envoy.filters.http.fault", "envoy.filters.http.router"]);
    }
}
