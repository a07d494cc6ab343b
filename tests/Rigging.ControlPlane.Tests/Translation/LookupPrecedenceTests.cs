using Envoy.Config.Cluster.V3;
using Envoy.Config.Route.V3;
using FluentAssertions;
using Rigging.Api.Validation;
using Rigging.ControlPlane.Model;
using Rigging.ControlPlane.Registry;
using Rigging.ControlPlane.Translation;

namespace Rigging.ControlPlane.Tests.Translation;

/// <summary>
/// The indexed lookups choose what Istio's ordered scans choose: the first VirtualService in (namespace, name)
/// order whether it names the host exactly or by wildcard, and the DestinationRule by scope before exactness,
/// the earlier resource winning a tie.
/// </summary>
public sealed class LookupPrecedenceTests
{
    private const string Services = """
        apiVersion: v1
        kind: Service
        metadata: {name: reviews, namespace: shop}
        spec:
          selector: {app: reviews}
          ports: [{name: http, port: 9080}]
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: ratings, namespace: shop}
        spec:
          selector: {app: ratings}
          ports: [{name: http, port: 9080}]
        """;

    [Fact]
    public void Earlier_wildcard_VirtualService_wins_over_a_later_exact_one_and_a_later_wildcard_loses()
    {
        var resources = Generate("""
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {name: a-wild, namespace: shop}
            spec:
              hosts: ["*.shop.svc.cluster.local"]
              http: [{name: a-wild, route: [{destination: {host: reviews}}]}]
            ---
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {name: b-exact, namespace: shop}
            spec:
              hosts: [reviews]
              http: [{name: b-exact, route: [{destination: {host: reviews}}]}]
            ---
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {name: a-ratings, namespace: other}
            spec:
              hosts: [ratings.shop.svc.cluster.local]
              exportTo: ["."]
              http: [{name: a-ratings, route: [{destination: {host: ratings.shop.svc.cluster.local}}]}]
            ---
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {name: c-ratings, namespace: shop}
            spec:
              hosts: [ratings]
              http: [{name: c-ratings, route: [{destination: {host: ratings}}]}]
            """);

        RouteName(resources, "reviews.shop.svc.cluster.local:9080").Should().Be("a-wild");
        RouteName(resources, "ratings.shop.svc.cluster.local:9080").Should().Be("a-wild",
            "a-wild (shop) sorts before c-ratings, and a-ratings is not exported to shop");
    }

    [Fact]
    public void DestinationRule_scope_outranks_exactness_and_the_earlier_rule_wins_a_tie()
    {
        var resources = Generate("""
            apiVersion: networking.istio.io/v1
            kind: DestinationRule
            metadata: {name: exact-in-service-ns, namespace: shop}
            spec:
              host: reviews
              trafficPolicy: {loadBalancer: {simple: RANDOM}}
            ---
            apiVersion: networking.istio.io/v1
            kind: DestinationRule
            metadata: {name: wildcard-in-proxy-ns, namespace: web}
            spec:
              host: "*.shop.svc.cluster.local"
              trafficPolicy: {loadBalancer: {simple: ROUND_ROBIN}}
            ---
            apiVersion: networking.istio.io/v1
            kind: DestinationRule
            metadata: {name: first-for-ratings, namespace: shop}
            spec:
              host: ratings
              exportTo: ["*"]
              trafficPolicy: {loadBalancer: {simple: RANDOM}}
            ---
            apiVersion: networking.istio.io/v1
            kind: DestinationRule
            metadata: {name: second-for-ratings, namespace: shop}
            spec:
              host: ratings.shop.svc.cluster.local
              trafficPolicy: {loadBalancer: {simple: ROUND_ROBIN}}
            """, proxyNamespace: "web");

        var clusters = resources.OfType<Cluster>().ToDictionary(c => c.Name);
        clusters["outbound|9080||reviews.shop.svc.cluster.local"].LbPolicy.Should().Be(Cluster.Types.LbPolicy.RoundRobin, "the proxy's namespace outranks the service's, wildcard or not");
        clusters["outbound|9080||ratings.shop.svc.cluster.local"].LbPolicy.Should().Be(Cluster.Types.LbPolicy.RoundRobin, "the wildcard in the proxy's namespace still outranks both");

        var fromShop = Generate("""
            apiVersion: networking.istio.io/v1
            kind: DestinationRule
            metadata: {name: first-for-ratings, namespace: shop}
            spec:
              host: ratings
              trafficPolicy: {loadBalancer: {simple: RANDOM}}
            ---
            apiVersion: networking.istio.io/v1
            kind: DestinationRule
            metadata: {name: second-for-ratings, namespace: shop}
            spec:
              host: ratings.shop.svc.cluster.local
              trafficPolicy: {loadBalancer: {simple: ROUND_ROBIN}}
            """, proxyNamespace: "shop");
        fromShop.OfType<Cluster>().Single(c => c.Name == "outbound|9080||ratings.shop.svc.cluster.local").LbPolicy
            .Should().Be(Cluster.Types.LbPolicy.Random, "equal rank: the earlier rule wins");
    }

    private static string RouteName(IReadOnlyList<Google.Protobuf.IMessage> resources, string vhost) =>
        resources.OfType<RouteConfiguration>().Single(r => r.Name == "15001").VirtualHosts.Single(v => v.Name == vhost).Routes.Single().Name;

    private static IReadOnlyList<Google.Protobuf.IMessage> Generate(string yaml, string proxyNamespace = "shop")
    {
        var loaded = ConfigValidator.ValidateText("test.yaml", Services + "\n---\n" + yaml);
        loaded.HasErrors.Should().BeFalse(string.Join('\n', loaded.Diagnostics));
        var push = new PushContext(loaded.Resources, ServiceDiscovery.Services(loaded.Resources), []);
        var proxy = new ProxyView { NodeId = "n", Kind = ProxyKind.Sidecar, Namespace = proxyNamespace, Workload = "web", OutboundPort = 15001 };
        return ProxyGenerator.Generate(proxy, push);
    }
}
