using Envoy.Config.Cluster.V3;
using Envoy.Config.Endpoint.V3;
using Envoy.Config.Listener.V3;
using Envoy.Config.Route.V3;
using Envoy.Extensions.Filters.Http.Fault.V3;
using System.Collections.Immutable;
using FluentAssertions;
using Rigging.Api.Validation;
using Rigging.ControlPlane.Model;
using Rigging.ControlPlane.Registry;
using Rigging.ControlPlane.Translation;

namespace Rigging.ControlPlane.Tests.Translation;

/// <summary>What translation writes into the xDS resources, checked field by field against Istio's behaviour.</summary>
public sealed class TranslationTests
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
        metadata: {name: db, namespace: shop}
        spec:
          selector: {app: db}
          ports: [{name: tcp-pg, port: 5432, targetPort: 15432}]
        """;

    private static IReadOnlyList<Google.Protobuf.IMessage> Generate(string yaml, params WorkloadInstance[] instances)
    {
        var loaded = ConfigValidator.ValidateText("test.yaml", Services + "\n---\n" + yaml);
        loaded.HasErrors.Should().BeFalse(string.Join('\n', loaded.Diagnostics));
        var push = new PushContext(loaded.Resources, ServiceDiscovery.Services(loaded.Resources), instances);
        var proxy = new ProxyView { NodeId = "n", Kind = ProxyKind.Sidecar, Namespace = "shop", Workload = "web", OutboundPort = 15001, InboundPort = 15006, AppPort = 8080 };
        return ProxyGenerator.Generate(proxy, push);
    }

    private static Route RouteFor(IReadOnlyList<Google.Protobuf.IMessage> resources, string vhost) =>
        resources.OfType<RouteConfiguration>().Single(r => r.Name == "15001").VirtualHosts.Single(v => v.Name == vhost).Routes[0];

    [Fact]
    public void Default_route_has_Istio_retries_and_no_timeout()
    {
        var route = RouteFor(Generate(""), "reviews.shop.svc.cluster.local:9080");

        route.Route_.Cluster.Should().Be("outbound|9080||reviews.shop.svc.cluster.local");
        route.Route_.Timeout.ToTimeSpan().Should().Be(TimeSpan.Zero);
        route.Route_.RetryPolicy.NumRetries.Should().Be(2);
        route.Route_.RetryPolicy.RetryOn.Should().Be("connect-failure,refused-stream,unavailable,cancelled,retriable-status-codes");
        route.Route_.RetryPolicy.RetriableStatusCodes.Should().Equal(503u);
        route.Route_.RetryPolicy.RetryHostPredicate.Single().Name.Should().Be("envoy.retry_host_predicates.previous_hosts");
    }

    [Fact]
    public void Virtual_host_answers_to_the_names_clients_use()
    {
        var vhost = Generate("").OfType<RouteConfiguration>().Single(r => r.Name == "15001").VirtualHosts.Single(v => v.Name == "reviews.shop.svc.cluster.local:9080");

        vhost.Domains.Should().BeEquivalentTo("reviews.shop.svc.cluster.local:9080", "reviews.shop.svc:9080", "reviews.shop:9080", "reviews:9080");
    }

    [Fact]
    public void Fault_retries_timeout_and_rewrite_are_translated()
    {
        var route = RouteFor(Generate("""
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {name: reviews, namespace: shop}
            spec:
              hosts: [reviews]
              http:
              - match: [{uri: {prefix: /v1/}}]
                rewrite: {uri: /api/}
                timeout: 3s
                retries: {attempts: 4, perTryTimeout: 500ms, retryOn: "5xx,503"}
                fault: {abort: {httpStatus: 503, percentage: {value: 12.5}}}
                route: [{destination: {host: reviews}}]
            """), "reviews.shop.svc.cluster.local:9080");

        route.Match.Prefix.Should().Be("/v1/");
        route.Route_.PrefixRewrite.Should().Be("/api/");
        route.Route_.Timeout.ToTimeSpan().Should().Be(TimeSpan.FromSeconds(3));
        route.Route_.RetryPolicy.NumRetries.Should().Be(4);
        route.Route_.RetryPolicy.PerTryTimeout.ToTimeSpan().Should().Be(TimeSpan.FromMilliseconds(500));
        route.Route_.RetryPolicy.RetriableStatusCodes.Should().Contain(503u);
        var fault = route.TypedPerFilterConfig["envoy.filters.http.fault"].Unpack<HTTPFault>();
        fault.Abort.HttpStatus.Should().Be(503);
        fault.Abort.Percentage.Numerator.Should().Be(125_000);
    }

    [Fact]
    public void Destination_rule_sets_balancer_pool_limits_and_outlier_detection_per_subset()
    {
        var clusters = Generate("""
            apiVersion: networking.istio.io/v1
            kind: DestinationRule
            metadata: {name: reviews, namespace: shop}
            spec:
              host: reviews
              trafficPolicy:
                loadBalancer: {simple: ROUND_ROBIN}
                connectionPool: {http: {http2MaxRequests: 10, http1MaxPendingRequests: 1}}
                outlierDetection: {consecutive5xxErrors: 3, interval: 1s, baseEjectionTime: 2s}
              subsets:
              - name: v1
                labels: {version: v1}
                trafficPolicy: {loadBalancer: {simple: RANDOM}}
            """).OfType<Cluster>().ToDictionary(c => c.Name);

        var main = clusters["outbound|9080||reviews.shop.svc.cluster.local"];
        main.LbPolicy.Should().Be(Cluster.Types.LbPolicy.RoundRobin);
        main.CircuitBreakers.Thresholds[0].MaxRequests.Should().Be(10);
        main.CircuitBreakers.Thresholds[0].MaxPendingRequests.Should().Be(1);
        main.CircuitBreakers.Thresholds[0].MaxConnections.Should().Be(uint.MaxValue);
        main.OutlierDetection.Consecutive5Xx.Should().Be(3);
        clusters["outbound|9080|v1|reviews.shop.svc.cluster.local"].LbPolicy.Should().Be(Cluster.Types.LbPolicy.Random);
        main.ConnectTimeout.ToTimeSpan().Should().Be(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public void Endpoints_go_to_the_proxy_inbound_port_or_the_target_port_and_subsets_filter_by_labels()
    {
        var withProxy = new WorkloadInstance { Name = "r1", Namespace = "shop", Address = "10.0.0.1", InboundPort = 15006, Labels = Labels("app", "reviews", "version", "v1") };
        var bare = new WorkloadInstance { Name = "r2", Namespace = "shop", Address = "10.0.0.2", Labels = Labels("app", "reviews", "version", "v2") };
        var db = new WorkloadInstance { Name = "db", Namespace = "shop", Address = "10.0.0.3", Labels = Labels("app", "db") };

        var assignments = Generate("""
            apiVersion: networking.istio.io/v1
            kind: DestinationRule
            metadata: {name: reviews, namespace: shop}
            spec:
              host: reviews
              subsets: [{name: v1, labels: {version: v1}}]
            """, withProxy, bare, db).OfType<ClusterLoadAssignment>().ToDictionary(a => a.ClusterName);

        Addresses(assignments["outbound|9080||reviews.shop.svc.cluster.local"]).Should().BeEquivalentTo("10.0.0.1:15006", "10.0.0.2:9080");
        Addresses(assignments["outbound|9080|v1|reviews.shop.svc.cluster.local"]).Should().BeEquivalentTo("10.0.0.1:15006");
        Addresses(assignments["outbound|5432||db.shop.svc.cluster.local"]).Should().BeEquivalentTo("10.0.0.3:15432");
    }

    [Fact]
    public void Sidecar_gets_outbound_and_inbound_listeners()
    {
        var listeners = Generate("").OfType<Listener>().ToDictionary(l => l.Name);

        listeners["virtualOutbound"].Address.SocketAddress.PortValue.Should().Be(15001);
        listeners["virtualOutbound"].Address.SocketAddress.Address.Should().Be("127.0.0.1");
        listeners["virtualInbound"].Address.SocketAddress.PortValue.Should().Be(15006);
    }

    private static System.Collections.Immutable.ImmutableDictionary<string, string> Labels(params string[] kv) =>
        Enumerable.Range(0, kv.Length / 2).ToDictionary(i => kv[2 * i], i => kv[2 * i + 1]).ToImmutableDictionary();

    private static IEnumerable<string> Addresses(ClusterLoadAssignment cla) =>
        cla.Endpoints.SelectMany(l => l.LbEndpoints).Select(e => $"{e.Endpoint.Address.SocketAddress.Address}:{e.Endpoint.Address.SocketAddress.PortValue}");
}
