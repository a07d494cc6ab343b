using System.Collections.Immutable;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using Envoy.Config.Cluster.V3;
using Envoy.Config.Endpoint.V3;
using Envoy.Config.Route.V3;
using FluentAssertions;
using Rigging.Api.Validation;
using Rigging.ControlPlane.Model;
using Rigging.ControlPlane.Registry;
using Rigging.ControlPlane.Translation;
using Xunit.Abstractions;

namespace Rigging.ControlPlane.Tests.Push;

/// <summary>
/// One view of the bench's mesh (1000 services, each with a DestinationRule and a VirtualService, one instance
/// each, 20 namespaces): translation gives every service its clusters, endpoints and routes, and the test prints
/// how long one view takes (no assertion on time: the machine is shared).
/// </summary>
public sealed class TranslationScaleTests(ITestOutputHelper output)
{
    private const int Services = 1000;
    private const int Namespaces = 20;

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void One_view_of_1000_services_gets_every_cluster_endpoint_and_route(bool sidecarScope)
    {
        var push = Mesh(sidecarScope);
        var proxy = new ProxyView
        {
            NodeId = "sidecar~10.1.0.1~svc-1.ns-1~ns-1.svc.cluster.local",
            Kind = ProxyKind.Sidecar,
            Namespace = "ns-1",
            Workload = "svc-1",
            Labels = ImmutableDictionary<string, string>.Empty.Add("app", "svc-1").Add("version", "v1"),
            InboundPort = 15006,
            AppPort = 9080,
            OutboundPort = 15001,
        };
        var visible = sidecarScope ? 2 * Services / Namespaces : Services;

        var resources = ProxyGenerator.Generate(proxy, push); // warm-up (JIT)
        var times = new List<double>();
        for (var i = 0; i < 5; i++)
        {
            var watch = Stopwatch.StartNew();
            resources = ProxyGenerator.Generate(proxy, push);
            times.Add(watch.Elapsed.TotalMilliseconds);
        }
        times.Sort();
        output.WriteLine($"scope={(sidecarScope ? "sidecar" : "mesh")} services={Services} visible={visible}: Generate median {times[2]:F1} ms (min {times[0]:F1}, max {times[^1]:F1})");
        Sections(proxy, push);

        resources.OfType<Cluster>().Count(c => c.Name.StartsWith("outbound|", StringComparison.Ordinal)).Should().Be(visible * 3, "a default cluster and subsets v1, v2 per service");
        var v1 = resources.OfType<ClusterLoadAssignment>().Single(a => a.ClusterName == "outbound|9080|v1|svc-20.ns-0.svc.cluster.local");
        v1.Endpoints.SelectMany(e => e.LbEndpoints).Select(e => e.Endpoint.Address.SocketAddress.Address).Should().Equal("10.2.0.20");
        var table = resources.OfType<RouteConfiguration>().Single(r => r.Name == "15001");
        table.VirtualHosts.Should().HaveCount(visible + 1, "one per visible service port, then Istio's allow_any catch-all");
        var routed = table.VirtualHosts.Single(v => v.Name == "svc-20.ns-0.svc.cluster.local:9080").Routes.Single();
        routed.Route_.WeightedClusters.Clusters.Select(c => (c.Name, c.Weight)).Should().Equal(
            ("outbound|9080|v1|svc-20.ns-0.svc.cluster.local", 90u), ("outbound|9080|v2|svc-20.ns-0.svc.cluster.local", 10u));
        push.Issues.Should().BeEmpty();
    }

    /// <summary>Where one view's time goes (the generators ProxyGenerator calls, timed one by one).</summary>
    private void Sections(ProxyView proxy, PushContext push)
    {
        var watch = Stopwatch.StartNew();
        var services = Visibility.ServicesFor(proxy, push).ToList();
        var visibility = watch.Elapsed.TotalMilliseconds;
        watch.Restart();
        var clusters = ClusterGenerator.Outbound(proxy, push, services).ToList();
        var clusterTime = watch.Elapsed.TotalMilliseconds;
        watch.Restart();
        var endpoints = EndpointGenerator.Outbound(proxy, push, services).ToList();
        var endpointTime = watch.Elapsed.TotalMilliseconds;
        watch.Restart();
        var used = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var vhosts = 0;
        foreach (var service in services)
        {
            foreach (var port in service.Ports)
            {
                VirtualHostBuilder.Build(service, port, proxy, push, "mesh", used);
                vhosts++;
            }
        }
        var routeTime = watch.Elapsed.TotalMilliseconds;
        output.WriteLine($"  visibility {visibility:F1} ms, clusters {clusterTime:F1} ms ({clusters.Count}), endpoints {endpointTime:F1} ms ({endpoints.Count}), routes {routeTime:F1} ms ({vhosts} vhosts)");
    }

    private static PushContext Mesh(bool sidecarScope)
    {
        var yaml = new StringBuilder();
        for (var i = 0; i < Services; i++)
        {
            var name = "svc-" + i.ToString(CultureInfo.InvariantCulture);
            var ns = "ns-" + (i % Namespaces).ToString(CultureInfo.InvariantCulture);
            yaml.Append(CultureInfo.InvariantCulture, $$$"""
                apiVersion: v1
                kind: Service
                metadata: {name: {{{name}}}, namespace: {{{ns}}}}
                spec:
                  selector: {app: {{{name}}}}
                  ports: [{name: http, port: 9080}]
                ---
                apiVersion: networking.istio.io/v1
                kind: DestinationRule
                metadata: {name: {{{name}}}, namespace: {{{ns}}}}
                spec:
                  host: {{{name}}}
                  subsets:
                  - {name: v1, labels: {version: v1}}
                  - {name: v2, labels: {version: v2}}
                ---
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata: {name: {{{name}}}, namespace: {{{ns}}}}
                spec:
                  hosts: [{{{name}}}]
                  http:
                  - route:
                    - {destination: {host: {{{name}}}, subset: v1}, weight: 90}
                    - {destination: {host: {{{name}}}, subset: v2}, weight: 10}
                ---

                """);
        }
        for (var ns = 0; ns < Namespaces && sidecarScope; ns++)
        {
            yaml.Append(CultureInfo.InvariantCulture, $$$"""
                apiVersion: networking.istio.io/v1
                kind: Sidecar
                metadata: {name: default, namespace: ns-{{{ns}}}}
                spec:
                  egress: [{hosts: ["./*", "ns-0/*"]}]
                ---

                """);
        }
        var loaded = ConfigValidator.ValidateText("mesh.yaml", yaml.ToString());
        loaded.HasErrors.Should().BeFalse(string.Join('\n', loaded.Diagnostics.Take(5)));
        var instances = Enumerable.Range(0, Services).Select(i => new WorkloadInstance
        {
            Name = "svc-" + i.ToString(CultureInfo.InvariantCulture),
            Namespace = "ns-" + (i % Namespaces).ToString(CultureInfo.InvariantCulture),
            Address = $"10.{2 + i / 250}.0.{i % 250}",
            Labels = ImmutableDictionary<string, string>.Empty.Add("app", "svc-" + i.ToString(CultureInfo.InvariantCulture)).Add("version", "v1"),
            InboundPort = 15006,
        });
        return new PushContext(loaded.Resources, ServiceDiscovery.Services(loaded.Resources), instances);
    }
}
