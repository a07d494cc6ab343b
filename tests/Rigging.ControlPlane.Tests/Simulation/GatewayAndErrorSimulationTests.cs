using FluentAssertions;
using Rigging.Proxy.Routing;

namespace Rigging.ControlPlane.Tests.Simulation;

/// <summary>The bookinfo ingress gateway, and routes whose destination does not exist.</summary>
public sealed class GatewayAndErrorSimulationTests
{
    private const string App = "samples/bookinfo/platform/kube/bookinfo.yaml";

    [Fact]
    public void Bookinfo_gateway_routes_productpage_paths_and_nothing_else()
    {
        var mesh = MeshSimulation.Load(App, "samples/bookinfo/networking/bookinfo-gateway.yaml")
            .WithGateway("ingressgateway", new Dictionary<string, string> { ["istio"] = "ingressgateway" });

        mesh.Send("ingressgateway", "http://bookinfo.example.com:8080/productpage").Cluster
            .Should().Be("outbound|9080||productpage.default.svc.cluster.local");
        mesh.Send("ingressgateway", "http://anything:8080/static/app.css").Cluster
            .Should().Be("outbound|9080||productpage.default.svc.cluster.local");
        mesh.Send("ingressgateway", "http://anything:8080/admin").Route.Should().BeNull();
    }

    [Fact]
    public void Route_to_a_subset_no_rule_defines_answers_503_and_is_reported()
    {
        // virtual-service-all-v1 names subsets, but no DestinationRule defines them here.
        var mesh = MeshSimulation.Load(App, "samples/bookinfo/networking/virtual-service-all-v1.yaml");

        var landing = mesh.Send("productpage-v1", "http://reviews:9080/");

        landing.Route!.Action.Should().BeOfType<DirectResponseModel>().Which.Status.Should().Be(503);
        mesh.Push.Issues.Values.Should().Contain(i => i.Contains("outbound|9080|v1|reviews.default.svc.cluster.local", StringComparison.Ordinal));
        mesh.SnapshotFor("productpage-v1").CheckConsistency().Should().BeEmpty();
    }
}
