using static Rigging.Api.Tests.Validation.ValidationAssertions;

namespace Rigging.Api.Tests.Validation;

public sealed class VirtualServiceValidatorTests
{
    private static string Vs(string spec) => $"""
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata: {"{"}name: reviews, namespace: shop{"}"}
        spec:
        {spec}
        """;

    [Fact]
    public void Weighted_split_with_subsets_is_valid() => ShouldBeValid(Vs("""
          hosts: [reviews]
          http:
          - match: [{headers: {end-user: {exact: jason}}}]
            route: [{destination: {host: reviews, subset: v2}}]
          - route:
            - {destination: {host: reviews, subset: v1}, weight: 80}
            - {destination: {host: reviews, subset: v3}, weight: 20}
            retries: {attempts: 3, perTryTimeout: 2s, retryOn: "gateway-error,connect-failure,503"}
            timeout: 10s
        """));

    [Fact]
    public void Mesh_bound_wildcard_host_is_rejected() =>
        ShouldFailWith(Vs("  hosts: ['*']\n  http: [{route: [{destination: {host: reviews}}]}]"),
            "spec.hosts[0]: Invalid value: \"*\": wildcard host * is not allowed for virtual services bound to the mesh gateway");

    [Fact]
    public void Negative_weight_names_the_route_index() =>
        ShouldFailWith(Vs("  hosts: [reviews]\n  http: [{route: [{destination: {host: reviews}, weight: -1}]}]"),
            "spec.http[0].route[0].weight: Invalid value: -1");

    [Fact]
    public void Route_and_redirect_together_are_rejected() =>
        ShouldFailWith(Vs("  hosts: [reviews]\n  http: [{route: [{destination: {host: reviews}}], redirect: {uri: /v2}}]"),
            "HTTP route cannot contain both route and redirect");

    [Fact]
    public void Unknown_retry_condition_is_named() =>
        ShouldFailWith(Vs("  hosts: [reviews]\n  http: [{route: [{destination: {host: reviews}}], retries: {attempts: 2, retryOn: '5xx,sometimes'}}]"),
            "\"sometimes\" is not a valid retryOn policy");

    [Fact]
    public void Abort_status_outside_200_to_599_is_rejected() =>
        ShouldFailWith(Vs("  hosts: [reviews]\n  http: [{route: [{destination: {host: reviews}}], fault: {abort: {httpStatus: 700, percentage: {value: 50}}}}]"),
            "spec.http[0].fault.abort.httpStatus: Invalid value: 700: httpStatus must be in range 200-599");

    [Fact]
    public void Bad_regex_is_rejected_where_it_is_written() =>
        ShouldFailWith(Vs("  hosts: [reviews]\n  http: [{match: [{uri: {regex: '/api/(v1'}}], route: [{destination: {host: reviews}}]}]"),
            "spec.http[0].match[0].uri.regex: Invalid value");

    [Fact]
    public void Backreference_is_rejected_as_re2_rejects_it() =>
        ShouldFailWith(Vs("  hosts: [reviews]\n  http: [{match: [{headers: {x-id: {regex: '(a)\\1'}}}], route: [{destination: {host: reviews}}]}]"),
            "is not a valid regex: RE2 has no backreferences");

    [Fact]
    public void Tls_route_sni_must_be_one_of_the_hosts() =>
        ShouldFailWith(Vs("  hosts: ['*.example.com']\n  gateways: [edge]\n  tls: [{match: [{sniHosts: [other.org]}], route: [{destination: {host: backend}}]}]"),
            "spec.tls[0].match[0].sniHosts[0]: Invalid value: \"other.org\": the SNI host is not matched");

    [Fact]
    public void Delegate_without_hosts_cannot_have_gateways() =>
        ShouldFailWith(Vs("  gateways: [edge]\n  http: [{route: [{destination: {host: reviews}}]}]"),
            "a delegate virtual service (one without hosts) must have no gateways");

    [Fact]
    public void Empty_virtual_service_needs_a_route() =>
        ShouldFailWith(Vs("  hosts: [reviews]"), "spec.http: Required value: http, tcp or tls must be provided in virtual service");
}
