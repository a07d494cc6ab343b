using static Rigging.Api.Tests.Validation.ValidationAssertions;

namespace Rigging.Api.Tests.Validation;

/// <summary>DestinationRule, Gateway, ServiceEntry and Sidecar rules the Istio corpus does not cover.</summary>
public sealed class NetworkingValidatorTests
{
    private static string Doc(string kind, string spec) => $"""
        apiVersion: networking.istio.io/v1
        kind: {kind}
        metadata: {"{"}name: x, namespace: shop{"}"}
        spec:
        {spec}
        """;

    [Fact]
    public void Destination_rule_with_pools_outliers_and_subsets_is_valid() => ShouldBeValid(Doc("DestinationRule", """
          host: reviews
          trafficPolicy:
            loadBalancer: {simple: LEAST_REQUEST}
            connectionPool: {tcp: {maxConnections: 100, connectTimeout: 30ms}, http: {http1MaxPendingRequests: 10, maxRequestsPerConnection: 1}}
            outlierDetection: {consecutive5xxErrors: 7, interval: 5m, baseEjectionTime: 15m, maxEjectionPercent: 50}
          subsets:
          - {name: v1, labels: {version: v1}}
          - name: v2
            labels: {version: v2}
            trafficPolicy: {loadBalancer: {consistentHash: {httpHeaderName: x-user}}}
        """));

    [Fact]
    public void Duplicate_subset_names_are_rejected() =>
        ShouldFailWith(Doc("DestinationRule", "  host: reviews\n  subsets: [{name: v1}, {name: v1}]"), "spec.subsets[1].name: Duplicate value: \"v1\"");

    [Fact]
    public void Mutual_tls_without_certificate_says_what_is_missing() =>
        ShouldFailWith(Doc("DestinationRule", "  host: reviews\n  trafficPolicy: {tls: {mode: MUTUAL}}"),
            "spec.trafficPolicy.tls.clientCertificate: Required value: MUTUAL TLS needs a client certificate");

    [Fact]
    public void Simple_and_consistent_hash_together_are_rejected() =>
        ShouldFailWith(Doc("DestinationRule", "  host: reviews\n  trafficPolicy: {loadBalancer: {simple: ROUND_ROBIN, consistentHash: {useSourceIp: true}}}"),
            "only one of simple or consistentHash may be set");

    [Fact]
    public void Gateway_https_server_needs_tls() =>
        ShouldFailWith(Doc("Gateway", "  selector: {istio: ingressgateway}\n  servers: [{port: {number: 443, name: https, protocol: HTTPS}, hosts: ['*']}]"),
            "spec.servers[0].tls: Required value");

    [Fact]
    public void Gateway_host_namespace_part_is_checked() =>
        ShouldFailWith(Doc("Gateway", "  servers: [{port: {number: 80, name: http, protocol: HTTP}, hosts: ['Bad_NS/foo.com']}]"),
            "the namespace part \"Bad_NS\" must be *, ., ~ or a namespace name");

    [Fact]
    public void Gateway_unknown_protocol_lists_the_known_ones() =>
        ShouldFailWith(Doc("Gateway", "  servers: [{port: {number: 80, name: http, protocol: HTTPX}, hosts: ['*']}]"),
            "spec.servers[0].port.protocol: Unsupported value: \"HTTPX\": supported values: \"HTTP\"");

    [Fact]
    public void Static_service_entry_needs_ip_endpoints() =>
        ShouldFailWith(Doc("ServiceEntry", "  hosts: [db.internal]\n  ports: [{number: 5432, name: tcp, protocol: TCP}]\n  resolution: STATIC\n  endpoints: [{address: db.example.com}]"),
            "spec.endpoints[0].address: Invalid value: \"db.example.com\": STATIC resolution needs IP addresses");

    [Fact]
    public void Service_entry_endpoint_port_must_be_declared() =>
        ShouldFailWith(Doc("ServiceEntry", "  hosts: [db.internal]\n  ports: [{number: 5432, name: tcp}]\n  resolution: STATIC\n  endpoints: [{address: 10.0.0.1, ports: {postgres: 5433}}]"),
            "spec.endpoints[0].ports[postgres]: Invalid value: \"postgres\"");

    [Fact]
    public void Sidecar_egress_hosts_need_a_namespace() =>
        ShouldFailWith(Doc("Sidecar", "  egress: [{hosts: [reviews.shop.svc.cluster.local]}]"),
            "spec.egress[0].hosts[0]: Invalid value: \"reviews.shop.svc.cluster.local\": hosts must be of form namespace/dnsName");

    [Fact]
    public void Sidecar_catch_all_egress_must_be_last() =>
        ShouldFailWith(Doc("Sidecar", "  egress:\n  - hosts: ['./*']\n  - port: {number: 9080, protocol: HTTP, name: http}\n    hosts: ['istio-system/*']"),
            "the egress listener with empty port should be the last listener in the list");
}
