using System.Net;
using Envoy.Config.Cluster.V3;
using Envoy.Config.Listener.V3;
using Envoy.Config.Route.V3;
using Envoy.Extensions.Filters.Network.TcpProxy.V3;
using FluentAssertions;
using Rigging.ControlPlane.Tests.Security.Mtls;
using Rigging.ControlPlane.Translation;
using Rigging.Proxy.Http.Filters.Rbac;
using Rigging.Proxy.Listeners;
using Rigging.Proxy.Security;
using Rigging.Proxy.Telemetry;
using static Rigging.ControlPlane.Tests.Security.Authorization.AuthorizationPolicyMatrixTests;
using NetworkRbac = Envoy.Extensions.Filters.Network.Rbac.V3.RBAC;

namespace Rigging.ControlPlane.Tests.Security.Authorization;

/// <summary>
/// A workload whose application port serves a TCP service: its inbound listener's chains are network RBAC (from
/// the AuthorizationPolicies, TCP-expressible parts only) then tcp_proxy to inbound|PORT||, per PeerAuthentication
/// mode; the xDS is asserted, then compiled by the proxy and its RBAC evaluated on connections.
/// </summary>
public sealed class InboundTcpTranslationTests
{
    private const int AppPort = 27017;
    private const int InboundPort = 15006;

    private static string Service(string portName) => $$"""
        apiVersion: v1
        kind: Service
        metadata: {name: db, namespace: foo}
        spec:
          selector: {app: db}
          ports: [{name: {{portName}}, port: 27017}]
        ---

        """;

    private static string PeerAuthentication(string mode) => "\n" + $$"""
        ---
        apiVersion: security.istio.io/v1
        kind: PeerAuthentication
        metadata: {name: default, namespace: foo}
        spec:
          mtls: {mode: {{mode}}}
        """;

    private const string Policies = """
        apiVersion: security.istio.io/v1
        kind: AuthorizationPolicy
        metadata: {name: allow-web, namespace: foo}
        spec:
          selector: {matchLabels: {app: db}}
          rules:
          - from:
            - source: {principals: ["cluster.local/ns/foo/sa/web"]}
          - from:
            - source: {principals: ["cluster.local/ns/foo/sa/admin"]}
            to:
            - operation: {paths: ["/admin"]}
        ---
        apiVersion: security.istio.io/v1
        kind: AuthorizationPolicy
        metadata: {name: deny-evil, namespace: foo}
        spec:
          action: DENY
          rules:
          - from:
            - source: {namespaces: ["evil"]}
            to:
            - operation: {methods: ["DELETE"]}
        """;

    private static (List<Listener> Listeners, Rigging.Proxy.Config.CompiledConfig Compiled, MtlsMesh Mesh) Translate(string yaml)
    {
        var mesh = MtlsMesh.Load(yaml);
        var (resources, compiled) = mesh.Compile(MtlsMesh.Sidecar("foo", "db", AppPort));
        return (resources.OfType<Listener>().ToList(), compiled, mesh);
    }

    private static Listener Inbound(List<Listener> listeners) => listeners.Single(l => l.Name == ListenerGenerator.InboundName);

    [Fact]
    public void Tcp_service_port_gets_network_rbac_then_tcp_proxy_to_the_inbound_cluster()
    {
        var (listeners, _, mesh) = Translate(Service("mongo") + Policies + PeerAuthentication("STRICT"));
        var resources = mesh.Generate(MtlsMesh.Sidecar("foo", "db", AppPort));

        var chain = Inbound(listeners).FilterChains.Should().ContainSingle("STRICT: TLS only").Subject;
        chain.FilterChainMatch.TransportProtocol.Should().Be("tls");
        chain.FilterChainMatch.DestinationPort.Should().Be(InboundPort, "the inbound port stands for the application port");
        chain.TransportSocket.TypedConfig.Unpack<Envoy.Extensions.TransportSockets.Tls.V3.DownstreamTlsContext>()
            .CommonTlsContext.AlpnProtocols.Should().Equal("istio-peer-exchange", "h2", "http/1.1");
        chain.Filters.Select(f => f.Name).Should().Equal("envoy.filters.network.rbac", "envoy.filters.network.rbac", "envoy.filters.network.tcp_proxy");

        var deny = chain.Filters[0].TypedConfig.Unpack<NetworkRbac>();
        deny.Rules.Action.Should().Be(Envoy.Config.Rbac.V3.RBAC.Types.Action.Deny);
        deny.Rules.Policies.Keys.Should().Equal("ns[foo]-policy[deny-evil]-rule[0]");
        deny.Rules.Policies.Values.Single().Permissions.ToString().Should().NotContain("DELETE", "a DENY rule keeps its TCP parts and loses the HTTP ones");
        var allow = chain.Filters[1].TypedConfig.Unpack<NetworkRbac>();
        allow.StatPrefix.Should().Be("tcp.");
        allow.Rules.Action.Should().Be(Envoy.Config.Rbac.V3.RBAC.Types.Action.Allow);
        allow.Rules.Policies.Keys.Should().Equal(["ns[foo]-policy[allow-web]-rule[0]"], "the rule with a path cannot be checked on TCP: dropped");
        var tcp = chain.Filters[2].TypedConfig.Unpack<TcpProxy>();
        (tcp.Cluster, tcp.StatPrefix).Should().Be(("inbound|27017||", "inbound|27017||"));

        resources.OfType<Cluster>().Should().Contain(c => c.Name == "inbound|27017||");
        resources.OfType<RouteConfiguration>().Should().NotContain(r => r.Name == "inbound|27017||", "a TCP inbound has no route table");
    }

    [Fact]
    public void Compiled_network_rbac_allows_the_principal_and_refuses_the_denied_namespace_and_others()
    {
        var (_, compiled, _) = Translate(Service("tcp-db") + Policies + PeerAuthentication("STRICT"));
        var chain = compiled.Listeners[ListenerGenerator.InboundName].Chains.Single();
        var tcp = chain.Filter.Should().BeOfType<TcpProxyModel>().Subject;
        tcp.Rbac.Should().HaveCount(2);

        Allows(tcp, "spiffe://cluster.local/ns/foo/sa/web").Should().BeTrue();
        Allows(tcp, "spiffe://cluster.local/ns/foo/sa/admin").Should().BeFalse("its only rule needed a path");
        Allows(tcp, "spiffe://cluster.local/ns/evil/sa/web").Should().BeFalse("DENY on namespace evil, whatever the method");
        Allows(tcp, null).Should().BeFalse("no peer identity: no principal to allow");
    }

    [Fact]
    public void Permissive_tcp_port_has_mesh_tls_passthrough_tls_and_plaintext_chains_and_disable_one_chain_that_is_never_sniffed()
    {
        var permissive = Inbound(Translate(Service("tcp") + PeerAuthentication("PERMISSIVE")).Listeners);
        permissive.FilterChains.Select(c => c.FilterChainMatch.TransportProtocol).Should().Equal("tls", "tls", "raw_buffer");
        permissive.FilterChains[0].FilterChainMatch.ApplicationProtocols.Should().Contain("istio", "mesh TLS is told by Istio's ALPN");
        permissive.FilterChains.Should().OnlyContain(c => c.FilterChainMatch.DestinationPort == InboundPort);
        permissive.FilterChains[1].TransportSocket.Should().BeNull("other TLS passes through");
        permissive.FilterChains[2].TransportSocket.Should().BeNull();
        permissive.FilterChains.Should().OnlyContain(c => c.Filters.Single().Name == "envoy.filters.network.tcp_proxy", "no policy, no RBAC filter");

        var (disabled, compiled, _) = Translate(Service("redis") + PeerAuthentication("DISABLE"));
        var chain = Inbound(disabled).FilterChains.Should().ContainSingle().Subject;
        chain.TransportSocket.Should().BeNull();
        chain.FilterChainMatch.TransportProtocol.Should().BeEmpty();
        compiled.Listeners[ListenerGenerator.InboundName].NeedsInspection.Should().BeFalse("a server-first protocol (MySQL, Redis banners) must not wait for a sniff");
    }

    [Fact]
    public void Http_port_keeps_the_http_connection_manager()
    {
        var chain = Inbound(Translate(Service("http-web") + PeerAuthentication("STRICT")).Listeners).FilterChains.Single();
        chain.Filters.Single().Name.Should().Be("envoy.filters.network.http_connection_manager");
    }

    [Fact]
    public void Dry_run_policy_on_tcp_becomes_shadow_rules_that_only_count()
    {
        var dryRun = Policy("selector:\n  matchLabels:\n    app: db\naction: DENY\nrules:\n- from:\n  - source:\n      principals: [\"cluster.local/ns/foo/sa/web\"]",
            "audit-web", "foo", "  annotations:\n    istio.io/dry-run: \"true\"");
        var (listeners, compiled, _) = Translate(Service("tcp") + dryRun + PeerAuthentication("STRICT"));

        var rbac = Inbound(listeners).FilterChains.Single().Filters[0].TypedConfig.Unpack<NetworkRbac>();
        rbac.Rules.Should().BeNull();
        rbac.ShadowRules.Policies.Keys.Should().Equal("ns[foo]-policy[audit-web]-rule[0]");
        rbac.ShadowRulesStatPrefix.Should().Be("istio_dry_run_deny_");

        var tcp = (TcpProxyModel)compiled.Listeners[ListenerGenerator.InboundName].Chains.Single().Filter;
        var stats = new ProxyStats(TimeProvider.System);
        Allows(tcp, "spiffe://cluster.local/ns/foo/sa/web", stats).Should().BeTrue("a dry-run DENY does not refuse");
        stats.Get("inbound|27017||", "tcp.rbac.istio_dry_run_deny_shadow_denied").Should().Be(1);
    }

    private static bool Allows(TcpProxyModel tcp, string? principal, ProxyStats? stats = null)
    {
        var input = new RbacInput
        {
            DirectRemoteIp = IPAddress.Loopback,
            RemoteIp = IPAddress.Loopback,
            DestinationIp = IPAddress.Loopback,
            DestinationPort = InboundPort,
            Peer = principal is null ? null : new PeerIdentity(principal, null),
        };
        stats ??= new ProxyStats(TimeProvider.System);
        return tcp.Rbac.All(f => f.Allows(input, stats, "inbound|27017||"));
    }
}
