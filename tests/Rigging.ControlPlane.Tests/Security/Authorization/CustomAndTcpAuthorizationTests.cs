using System.Net;
using Envoy.Config.Listener.V3;
using Envoy.Extensions.Filters.Network.TcpProxy.V3;
using FluentAssertions;
using Google.Protobuf.WellKnownTypes;
using Rigging.ControlPlane.Translation;
using Rigging.ControlPlane.Translation.Security.Authorization;
using Rigging.Proxy.Http.Filters.Rbac;
using Rigging.Proxy.Tcp;
using Rigging.Proxy.Telemetry;
using static Rigging.ControlPlane.Tests.Security.Authorization.AuthorizationPolicyMatrixTests;

namespace Rigging.ControlPlane.Tests.Security.Authorization;

/// <summary>CUSTOM (ext_authz gated by RBAC shadow rules), the filter order, mesh config providers, and TCP rules.</summary>
public sealed class CustomAndTcpAuthorizationTests
{
    private const string AuthzService = """
        apiVersion: v1
        kind: Service
        metadata:
          name: ext-authz
          namespace: foo
        spec:
          selector:
            app: ext-authz
          ports:
          - name: http
            port: 8000
        """;

    private const string MeshConfig = """
        rootNamespace: istio-system
        extensionProviders:
        - name: my-authz
          envoyExtAuthzHttp:
            service: ext-authz.foo.svc.cluster.local
            port: "8000"
            timeout: 2s
            pathPrefix: /check
            includeRequestHeadersInCheck: ["x-ext-authz"]
            headersToUpstreamOnAllow: ["x-user*"]
        - name: broken
          envoyExtAuthzHttp:
            port: "8000"
        """;

    private static MeshSettings Mesh(List<string>? errors = null) => MeshConfigReader.Read(MeshConfig, MeshSettings.Default, errors ?? []);

    private static string Custom(string provider) => Policy($"action: CUSTOM\nprovider:\n  name: {provider}\nrules:\n- to:\n  - operation:\n      paths: [\"/secure*\"]", "ext");

    [Fact]
    public void Mesh_config_providers_are_read_and_a_bad_one_is_reported_by_path()
    {
        var errors = new List<string>();
        var mesh = Mesh(errors);

        mesh.ExtensionProviders.Select(p => p.Name).Should().Equal("my-authz");
        var http = mesh.ExtensionProviders[0].EnvoyExtAuthzHttp!;
        (http.Service, http.Port, http.Timeout, http.PathPrefix).Should().Be(("ext-authz.foo.svc.cluster.local", 8000, TimeSpan.FromSeconds(2), "/check"));
        errors.Should().ContainSingle().Which.Should().Be("extensionProviders[1].envoyExtAuthzHttp.service: Required value");
    }

    [Fact]
    public async Task Custom_policy_sends_only_matching_requests_to_the_provider_after_deny_and_before_allow()
    {
        var yaml = AuthzService + "\n---\n" + Custom("my-authz") + "\n---\n"
            + Policy("action: AUDIT\nrules: [{}]", "audit") + "\n---\n"
            + Policy("action: DENY\nrules:\n- to:\n  - operation:\n      methods: [\"DELETE\"]", "deny") + "\n---\n"
            + Policy("rules: [{}]", "allow");
        var sim = AuthorizationSimulation.Load(yaml, Mesh());

        sim.FilterNames.Where(n => n.Contains("rbac", StringComparison.Ordinal) || n.Contains("ext_authz", StringComparison.Ordinal)).Should().Equal(
            "envoy.filters.http.rbac", "envoy.filters.http.ext_authz", "envoy.filters.http.rbac", "envoy.filters.http.rbac", "envoy.filters.http.rbac");
        (await sim.CheckAsync(new Request { Path = "/secure/data" })).Should().Be(Verdict.Custom);
        (await sim.CheckAsync(new Request { Path = "/public" })).Should().Be(Verdict.Allowed);
        (await sim.CheckAsync(new Request { Path = "/public", Method = "DELETE" })).Should().Be(Verdict.Denied);
    }

    [Fact]
    public void Custom_filter_points_at_the_providers_cluster_with_istios_settings()
    {
        var sim = AuthorizationSimulation.Load(AuthzService + "\n---\n" + Custom("my-authz"), Mesh());
        var listener = ProxyGenerator.Generate(AuthorizationSimulation.Httpbin, sim.Push).OfType<Listener>().Single(l => l.Name == "virtualInbound");
        var hcm = listener.FilterChains[0].Filters[0].TypedConfig.Unpack<Envoy.Extensions.Filters.Network.HttpConnectionManager.V3.HttpConnectionManager>();
        var extAuthz = hcm.HttpFilters.Single(f => f.Name == "envoy.filters.http.ext_authz").TypedConfig.Unpack<Envoy.Extensions.Filters.Http.ExtAuthz.V3.ExtAuthz>();
        var rbac = hcm.HttpFilters.First(f => f.Name == "envoy.filters.http.rbac").TypedConfig.Unpack<Envoy.Extensions.Filters.Http.Rbac.V3.RBAC>();

        extAuthz.HttpService.ServerUri.Cluster.Should().Be("outbound|8000||ext-authz.foo.svc.cluster.local");
        extAuthz.HttpService.PathPrefix.Should().Be("/check");
        extAuthz.HttpService.ServerUri.Timeout.ToTimeSpan().Should().Be(TimeSpan.FromSeconds(2));
        extAuthz.AllowedHeaders.Patterns.Single().Exact.Should().Be("x-ext-authz");
        extAuthz.HttpService.AuthorizationResponse.AllowedUpstreamHeaders.Patterns.Single().Prefix.Should().Be("x-user");
        extAuthz.FilterEnabledMetadata.Value.StringMatch.Prefix.Should().Be("istio-ext-authz-my-authz");
        rbac.Rules.Should().BeNull();
        rbac.ShadowRulesStatPrefix.Should().Be("istio_ext_authz_");
        rbac.ShadowRules.Policies.Keys.Should().Equal("istio-ext-authz-my-authz-ns[foo]-policy[ext]-rule[0]");
    }

    [Fact]
    public async Task Custom_policy_naming_an_unknown_or_broken_provider_denies_what_it_matches()
    {
        var unknown = AuthorizationSimulation.Load(AuthzService + "\n---\n" + Custom("nobody"), Mesh());
        (await unknown.CheckAsync(new Request { Path = "/secure" })).Should().Be(Verdict.Denied);
        (await unknown.CheckAsync(new Request { Path = "/open" })).Should().Be(Verdict.Allowed);
        unknown.Push.Issues.Values.Should().Contain(v => v.Contains("nobody", StringComparison.Ordinal));

        var noService = AuthorizationSimulation.Load(Custom("my-authz"), Mesh());
        (await noService.CheckAsync(new Request { Path = "/secure" })).Should().Be(Verdict.Denied, "the provider's service is not in the registry");
    }

    /// <summary>TCP chains get envoy.filters.network.rbac; evaluated by the proxy's own network filter on a connection.</summary>
    private static bool TcpAllows(string yaml, string sourceIp, int port = AuthorizationSimulation.AppPort)
    {
        var sim = AuthorizationSimulation.Load(yaml);
        var filters = AuthorizationFilters.Tcp(AuthorizationSimulation.Httpbin, sim.Push, AuthorizationFilters.InboundPort(AuthorizationSimulation.Httpbin)).ToList();
        filters.Add(new Filter { Name = "envoy.filters.network.tcp_proxy", TypedConfig = Any.Pack(new TcpProxy { StatPrefix = "t", Cluster = "c" }) });
        var compiled = NetworkRbacFilter.CompileChain(filters, "tcp");
        var input = new RbacInput
        {
            DirectRemoteIp = IPAddress.Parse(sourceIp),
            RemoteIp = IPAddress.Parse(sourceIp),
            DestinationIp = IPAddress.Parse("10.0.0.5"),
            DestinationPort = port == AuthorizationSimulation.AppPort ? AuthorizationSimulation.InboundPort : port,
        };
        var stats = new ProxyStats(TimeProvider.System);
        return compiled.All(f => f.Allows(input, stats, "t"));
    }

    [Fact]
    public void Tcp_rules_keep_tcp_attributes_drop_http_only_allow_rules_and_widen_http_only_deny_rules()
    {
        TcpAllows(Policy("rules:\n- from:\n  - source:\n      ipBlocks: [\"10.0.0.0/24\"]\n  to:\n  - operation:\n      ports: [\"8000\"]"), "10.0.0.9").Should().BeTrue();
        TcpAllows(Policy("rules:\n- from:\n  - source:\n      ipBlocks: [\"10.0.0.0/24\"]"), "10.9.0.9").Should().BeFalse();
        TcpAllows(Policy("rules:\n- to:\n  - operation:\n      methods: [\"GET\"]"), "10.0.0.9").Should().BeFalse("the ALLOW rule needs HTTP: on TCP it is dropped, leaving an ALLOW that matches nothing");
        TcpAllows(Policy("action: DENY\nrules:\n- from:\n  - source:\n      ipBlocks: [\"10.0.0.0/24\"]\n  to:\n  - operation:\n      methods: [\"DELETE\"]"), "10.0.0.9").Should().BeFalse("the method is left out, so the DENY matches every connection from the block");
        TcpAllows(Policy("action: DENY\nrules:\n- from:\n  - source:\n      ipBlocks: [\"10.0.0.0/24\"]\n  to:\n  - operation:\n      methods: [\"DELETE\"]"), "10.7.0.9").Should().BeTrue();
        TcpAllows(Policy("action: DENY\nrules:\n- when:\n  - key: destination.port\n    values: [\"8000\"]"), "10.7.0.9").Should().BeFalse();
    }
}
