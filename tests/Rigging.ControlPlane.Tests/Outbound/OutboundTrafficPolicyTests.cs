using System.Collections.Immutable;
using Envoy.Config.Cluster.V3;
using Envoy.Config.Route.V3;
using FluentAssertions;
using Rigging.Api.Validation;
using Rigging.ControlPlane.Model;
using Rigging.ControlPlane.Registry;
using Rigging.ControlPlane.Translation;
using Rigging.Proxy.Config;
using Rigging.Proxy.Routing;
using Rigging.Xds.Cache;
using UpstreamOptions = Envoy.Extensions.Upstreams.Http.V3.HttpProtocolOptions;

namespace Rigging.ControlPlane.Tests.Outbound;

/// <summary>
/// outboundTrafficPolicy as Istio writes it: PassthroughCluster and BlackHoleCluster for sidecars, the catch-all
/// virtual host last in the outbound route table (allow_any → PassthroughCluster, block_all → 502), chosen by the
/// Sidecar that applies or else the mesh config; gateways get BlackHoleCluster only.
/// </summary>
public sealed class OutboundTrafficPolicyTests
{
    private const string Service = """
        apiVersion: v1
        kind: Service
        metadata: {name: reviews, namespace: shop}
        spec:
          selector: {app: reviews}
          ports: [{name: http, port: 9080}]
        """;

    private static IReadOnlyList<Google.Protobuf.IMessage> Generate(string yaml = "", MeshSettings? mesh = null, ProxyKind kind = ProxyKind.Sidecar,
        string ns = "shop", Dictionary<string, string>? labels = null)
    {
        var loaded = ConfigValidator.ValidateText("test.yaml", Service + "\n---\n" + yaml);
        loaded.HasErrors.Should().BeFalse(string.Join('\n', loaded.Diagnostics));
        var push = new PushContext(loaded.Resources, ServiceDiscovery.Services(loaded.Resources), [], mesh);
        var proxy = new ProxyView
        {
            NodeId = "n", Kind = kind, Namespace = ns, Workload = "web", OutboundPort = 15001,
            Labels = (labels ?? new Dictionary<string, string> { ["app"] = "web" }).ToImmutableDictionary(),
        };
        return ProxyGenerator.Generate(proxy, push);
    }

    private static VirtualHost CatchAll(IReadOnlyList<Google.Protobuf.IMessage> resources) =>
        resources.OfType<RouteConfiguration>().Single(r => r.Name == "15001").VirtualHosts[^1];

    private static MeshSettings Mesh(string yaml)
    {
        var errors = new List<string>();
        var mesh = MeshConfigReader.Read(yaml, MeshSettings.Default, errors);
        errors.Should().BeEmpty();
        return mesh;
    }

    private static string Sidecar(string ns, string mode, string? selector = null, string extra = "") => $$"""
        apiVersion: networking.istio.io/v1
        kind: Sidecar
        metadata: {name: sc-{{mode.ToLowerInvariant().Replace('_', '-')}}, namespace: {{ns}}}
        spec:
          {{(selector is null ? "" : $"workloadSelector: {{labels: {{app: {selector}}}}}")}}
          outboundTrafficPolicy: {mode: {{mode}}{{extra}}}
        """;

    [Fact]
    public void By_default_a_sidecar_passes_unknown_authorities_through_an_original_dst_cluster()
    {
        var resources = Generate();

        var passthrough = resources.OfType<Cluster>().Single(c => c.Name == "PassthroughCluster");
        passthrough.Type.Should().Be(Cluster.Types.DiscoveryType.OriginalDst);
        passthrough.LbPolicy.Should().Be(Cluster.Types.LbPolicy.ClusterProvided);
        passthrough.LoadAssignment.Should().BeNull();
        passthrough.ConnectTimeout.ToTimeSpan().Should().Be(TimeSpan.FromSeconds(10));
        passthrough.AltStatName.Should().Be("PassthroughCluster;");
        var options = passthrough.TypedExtensionProtocolOptions["envoy.extensions.upstreams.http.v3.HttpProtocolOptions"].Unpack<UpstreamOptions>();
        options.UseDownstreamProtocolConfig.Should().NotBeNull("the upstream speaks what the app spoke");
        options.CommonHttpProtocolOptions.IdleTimeout.ToTimeSpan().Should().Be(TimeSpan.FromMinutes(5));
        passthrough.CircuitBreakers.Thresholds.Single().MaxConnections.Should().Be(uint.MaxValue);

        var blackHole = resources.OfType<Cluster>().Single(c => c.Name == "BlackHoleCluster");
        blackHole.Type.Should().Be(Cluster.Types.DiscoveryType.Static);
        blackHole.LoadAssignment.Should().BeNull();
        blackHole.AltStatName.Should().Be("BlackHoleCluster;");

        var vhost = CatchAll(resources);
        vhost.Name.Should().Be("allow_any");
        vhost.Domains.Should().Equal("*");
        var route = vhost.Routes.Single();
        route.Name.Should().Be("allow_any");
        route.Match.Prefix.Should().Be("/");
        route.Route_.Cluster.Should().Be("PassthroughCluster");
        route.Route_.Timeout.ToTimeSpan().Should().Be(TimeSpan.Zero, "Istio disables the route timeout for passthrough traffic");
        Snapshot.Create(resources).CheckConsistency().Should().BeEmpty();
    }

    [Fact]
    public void Mesh_config_registry_only_answers_502_from_a_block_all_virtual_host()
    {
        var mesh = Mesh("outboundTrafficPolicy:\n  mode: REGISTRY_ONLY\n");
        mesh.AllowAny.Should().BeFalse();

        var resources = Generate(mesh: mesh);

        var vhost = CatchAll(resources);
        vhost.Name.Should().Be("block_all");
        vhost.Domains.Should().Equal("*");
        vhost.Routes.Single().Name.Should().Be("block_all");
        vhost.Routes.Single().DirectResponse.Status.Should().Be(502u);
        vhost.Routes.Single().DirectResponse.Body.Should().BeNull("Istio's block_all has no body");
        resources.OfType<Cluster>().Select(c => c.Name).Should().Contain(["PassthroughCluster", "BlackHoleCluster"], "Istio sends both whatever the mode");
    }

    [Fact]
    public void A_sidecar_resource_overrides_the_mesh_mode_for_the_workloads_it_applies_to()
    {
        var locked = Generate(Sidecar("shop", "REGISTRY_ONLY"));
        CatchAll(locked).Name.Should().Be("block_all");
        CatchAll(Generate(Sidecar("shop", "REGISTRY_ONLY"), ns: "other")).Name.Should().Be("allow_any", "another namespace's Sidecar does not apply");

        var registryOnly = Mesh("outboundTrafficPolicy: {mode: REGISTRY_ONLY}");
        CatchAll(Generate(Sidecar("shop", "ALLOW_ANY", selector: "web"), registryOnly)).Name.Should().Be("allow_any");
        CatchAll(Generate(Sidecar("shop", "ALLOW_ANY", selector: "api"), registryOnly)).Name.Should().Be("block_all", "the selector does not match web");
        CatchAll(Generate(Sidecar("istio-system", "ALLOW_ANY"), registryOnly)).Name.Should().Be("allow_any", "the root namespace's Sidecar is the mesh default");
    }

    [Fact]
    public void A_sidecar_without_outbound_traffic_policy_keeps_the_mesh_mode()
    {
        const string egressOnly = """
            apiVersion: networking.istio.io/v1
            kind: Sidecar
            metadata: {name: default, namespace: shop}
            spec:
              egress: [{hosts: ["./*"]}]
            """;
        CatchAll(Generate(egressOnly, Mesh("outboundTrafficPolicy: {mode: REGISTRY_ONLY}"))).Name.Should().Be("block_all");
        CatchAll(Generate(egressOnly)).Name.Should().Be("allow_any");
    }

    [Fact]
    public void Allow_any_with_an_egress_proxy_sends_unknown_traffic_to_its_cluster()
    {
        var resources = Generate(Sidecar("shop", "ALLOW_ANY", extra: ", egressProxy: {host: reviews.shop.svc.cluster.local, port: {number: 9080}}"));

        CatchAll(resources).Routes.Single().Route_.Cluster.Should().Be("outbound|9080||reviews.shop.svc.cluster.local");
    }

    [Fact]
    public void Gateways_get_only_the_black_hole_cluster_and_proxyless_clients_neither()
    {
        var gateway = Generate(kind: ProxyKind.Gateway, labels: new Dictionary<string, string> { ["istio"] = "ingressgateway" });
        gateway.OfType<Cluster>().Select(c => c.Name).Should().Contain("BlackHoleCluster").And.NotContain("PassthroughCluster");

        var proxyless = Generate(kind: ProxyKind.ProxylessGrpc);
        proxyless.OfType<Cluster>().Select(c => c.Name).Should().NotContain(["BlackHoleCluster", "PassthroughCluster"]);
    }

    [Fact]
    public void The_proxy_compiles_the_fallthrough_and_routes_an_unknown_authority_to_it_while_services_keep_theirs()
    {
        var resources = Generate();
        var compiled = SnapshotCompiler.Compile(Resources(resources));
        var table = compiled.Routes["15001"];

        table.FindVirtualHost("reviews:9080")!.Name.Should().Be("reviews.shop.svc.cluster.local:9080");
        var unknown = table.FindVirtualHost("example.test:8080")!;
        unknown.Name.Should().Be("allow_any");
        ((ForwardAction)unknown.Routes[0].Action).Clusters.Clusters.Single().Cluster.Should().Be("PassthroughCluster");
        compiled.Clusters["PassthroughCluster"].OriginalDestination.Should().NotBeNull();
        compiled.Clusters["BlackHoleCluster"].Endpoints.Should().BeEmpty();
    }

    [Theory]
    [InlineData("outboundTrafficPolicy: {mode: DENY_ALL}", "outboundTrafficPolicy.mode: Unsupported value: \"DENY_ALL\"")]
    [InlineData("outboundTrafficPolicy: {mode: ALLOW_ANY_DYNAMIC_DNS}", "ALLOW_ANY_DYNAMIC_DNS is not supported")]
    public void A_mode_the_mesh_config_cannot_use_is_reported_and_the_baseline_kept(string yaml, string message)
    {
        var errors = new List<string>();
        var mesh = MeshConfigReader.Read(yaml, MeshSettings.Default with { AllowAny = false }, errors);

        errors.Should().ContainSingle().Which.Should().Contain(message);
        mesh.AllowAny.Should().BeFalse();
    }

    private static XdsResources Resources(IReadOnlyList<Google.Protobuf.IMessage> messages)
    {
        var snapshot = Snapshot.Create(messages);
        var resources = XdsResources.Empty;
        foreach (var type in snapshot.TypeUrls)
        {
            var set = snapshot.Get(type);
            resources = resources.With(type, set.Version, [.. set.Resources.Values.Select(r => r.Message)]);
        }
        return resources;
    }
}
