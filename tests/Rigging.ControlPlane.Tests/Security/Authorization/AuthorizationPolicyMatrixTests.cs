using FluentAssertions;

namespace Rigging.ControlPlane.Tests.Security.Authorization;

/// <summary>
/// The AuthorizationPolicy matrix: YAML + a described request → allowed or denied by the proxy's own compiled
/// filters over the translated xDS (see <see cref="AuthorizationSimulation"/>). Workload: httpbin in foo.
/// </summary>
public sealed class AuthorizationPolicyMatrixTests
{
    private static readonly Request Plain = new();
    private static readonly Request Sleep = Request.From("bar", "sleep");
    private static readonly Request OtherInBar = Request.From("bar", "other");
    private static readonly Request InBaz = Request.From("baz", "sleep");

    internal static string Policy(string spec, string name = "p", string ns = "foo", string annotations = "") => $"""
        apiVersion: security.istio.io/v1
        kind: AuthorizationPolicy
        metadata:
          name: {name}
          namespace: {ns}
        {annotations}
        spec:
        {Indent(spec)}
        """;

    private static string Indent(string text) => string.Join('\n', text.Split('\n').Select(l => "  " + l));

    private static async Task<Verdict> Check(string yaml, Request request) => await AuthorizationSimulation.Load(yaml).CheckAsync(request);

    [Fact]
    public async Task No_policy_allows_everything_and_adds_no_filter()
    {
        var sim = AuthorizationSimulation.Load(Policy("action: DENY\nrules: [{}]", ns: "other"));
        sim.FilterNames.Should().NotContain("envoy.filters.http.rbac");
        (await sim.CheckAsync(Plain)).Should().Be(Verdict.Allowed);
    }

    [Fact]
    public async Task An_allow_policy_without_rules_denies_everything_and_rules_with_one_empty_rule_allow_everything()
    {
        (await Check(Policy("{}"), Sleep)).Should().Be(Verdict.Denied);
        (await Check(Policy("selector:\n  matchLabels:\n    app: httpbin"), Plain)).Should().Be(Verdict.Denied);
        (await Check(Policy("rules: [{}]"), Plain)).Should().Be(Verdict.Allowed);
        (await Check(Policy("selector:\n  matchLabels:\n    app: productpage"), Plain)).Should().Be(Verdict.Allowed, "the selector picks another workload");
    }

    [Theory]
    [InlineData("cluster.local/ns/bar/sa/sleep", "bar", "sleep", Verdict.Allowed)]
    [InlineData("cluster.local/ns/bar/sa/sleep", "bar", "other", Verdict.Denied)]
    [InlineData("cluster.local/ns/bar/*", "bar", "other", Verdict.Allowed)]
    [InlineData("cluster.local/ns/bar/*", "baz", "sleep", Verdict.Denied)]
    [InlineData("*/sa/sleep", "baz", "sleep", Verdict.Allowed)]
    [InlineData("*/sa/sleep", "baz", "other", Verdict.Denied)]
    [InlineData("*", "baz", "other", Verdict.Allowed)]
    internal async Task Source_principals_match_exact_prefix_suffix_and_any(string principal, string ns, string sa, Verdict expected)
    {
        var yaml = Policy($"rules:\n- from:\n  - source:\n      principals: [\"{principal}\"]");
        (await Check(yaml, Request.From(ns, sa))).Should().Be(expected);
        (await Check(yaml, Plain)).Should().Be(Verdict.Denied, "a plaintext caller has no principal");
    }

    [Fact]
    public async Task Namespaces_service_accounts_and_their_not_forms()
    {
        (await Check(Policy("rules:\n- from:\n  - source:\n      namespaces: [\"bar\"]"), OtherInBar)).Should().Be(Verdict.Allowed);
        (await Check(Policy("rules:\n- from:\n  - source:\n      namespaces: [\"bar\"]"), InBaz)).Should().Be(Verdict.Denied);
        (await Check(Policy("rules:\n- from:\n  - source:\n      namespaces: [\"ba*\"]"), InBaz)).Should().Be(Verdict.Allowed);
        (await Check(Policy("rules:\n- from:\n  - source:\n      notNamespaces: [\"bar\"]"), InBaz)).Should().Be(Verdict.Allowed);
        (await Check(Policy("rules:\n- from:\n  - source:\n      notNamespaces: [\"bar\"]"), Sleep)).Should().Be(Verdict.Denied);
        (await Check(Policy("rules:\n- from:\n  - source:\n      serviceAccounts: [\"bar/sleep\"]"), Sleep)).Should().Be(Verdict.Allowed);
        (await Check(Policy("rules:\n- from:\n  - source:\n      serviceAccounts: [\"bar/sleep\"]"), OtherInBar)).Should().Be(Verdict.Denied);
        (await Check(Policy("rules:\n- from:\n  - source:\n      serviceAccounts: [\"sleep\"]"), Request.From("foo", "sleep"))).Should().Be(Verdict.Allowed, "a bare account is in the policy's namespace");
        (await Check(Policy("rules:\n- from:\n  - source:\n      serviceAccounts: [\"sleep\"]"), Sleep)).Should().Be(Verdict.Denied);
        (await Check(Policy("rules:\n- from:\n  - source:\n      notPrincipals: [\"cluster.local/ns/bar/sa/sleep\"]"), OtherInBar)).Should().Be(Verdict.Allowed);
        (await Check(Policy("rules:\n- from:\n  - source:\n      trustDomains: [\"cluster.local\"]"), InBaz)).Should().Be(Verdict.Allowed);
        (await Check(Policy("rules:\n- from:\n  - source:\n      trustDomains: [\"other.domain\"]"), InBaz)).Should().Be(Verdict.Denied);
    }

    [Fact]
    public async Task Ip_blocks_read_the_peer_and_remote_ip_blocks_the_forwarded_client()
    {
        var ip = Policy("rules:\n- from:\n  - source:\n      ipBlocks: [\"10.0.0.0/24\"]");
        (await Check(ip, Plain with { SourceIp = "10.0.0.77" })).Should().Be(Verdict.Allowed);
        (await Check(ip, Plain with { SourceIp = "10.0.1.77" })).Should().Be(Verdict.Denied);
        (await Check(Policy("rules:\n- from:\n  - source:\n      notIpBlocks: [\"10.0.0.9\"]"), Plain)).Should().Be(Verdict.Denied);
        var remote = Policy("rules:\n- from:\n  - source:\n      remoteIpBlocks: [\"192.168.0.0/16\"]");
        (await Check(remote, Plain)).Should().Be(Verdict.Denied);
        (await Check(remote, Plain with { Headers = new Dictionary<string, string> { ["x-forwarded-for"] = "192.168.3.4" } })).Should().Be(Verdict.Allowed);
    }

    [Theory]
    [InlineData("methods: [\"GET\"]", "GET", "/x", Verdict.Allowed)]
    [InlineData("methods: [\"GET\"]", "POST", "/x", Verdict.Denied)]
    [InlineData("notMethods: [\"DELETE\"]", "DELETE", "/x", Verdict.Denied)]
    [InlineData("paths: [\"/status/200\"]", "GET", "/status/200?q=1", Verdict.Allowed)]
    [InlineData("paths: [\"/status/200\"]", "GET", "/status/2000", Verdict.Denied)]
    [InlineData("paths: [\"/status/*\"]", "GET", "/status/418", Verdict.Allowed)]
    [InlineData("paths: [\"*.html\"]", "GET", "/docs/index.html", Verdict.Allowed)]
    [InlineData("paths: [\"*.html\"]", "GET", "/docs/index.htm", Verdict.Denied)]
    [InlineData("paths: [\"*\"]", "GET", "/anything", Verdict.Allowed)]
    [InlineData("notPaths: [\"/admin*\"]", "GET", "/admin/users", Verdict.Denied)]
    [InlineData("paths: [\"/api/{*}/items\"]", "GET", "/api/v1/items", Verdict.Allowed)]
    [InlineData("paths: [\"/api/{*}/items\"]", "GET", "/api/v1/v2/items", Verdict.Denied)]
    [InlineData("paths: [\"/files/{**}\"]", "GET", "/files/a/b/c.txt", Verdict.Allowed)]
    [InlineData("paths: [\"/files/{**}\"]", "GET", "/other/a", Verdict.Denied)]
    [InlineData("hosts: [\"HTTPBIN.foo.svc.cluster.local\"]", "GET", "/", Verdict.Allowed)]
    [InlineData("hosts: [\"*.foo.svc.cluster.local\"]", "GET", "/", Verdict.Allowed)]
    [InlineData("hosts: [\"other.foo\"]", "GET", "/", Verdict.Denied)]
    [InlineData("notHosts: [\"httpbin*\"]", "GET", "/", Verdict.Denied)]
    [InlineData("ports: [\"8000\"]", "GET", "/", Verdict.Allowed)]
    [InlineData("ports: [\"9000\"]", "GET", "/", Verdict.Denied)]
    [InlineData("notPorts: [\"8000\"]", "GET", "/", Verdict.Denied)]
    internal async Task Operations_match_methods_paths_hosts_and_ports_with_istios_wildcards(string operation, string method, string path, Verdict expected)
    {
        var yaml = Policy($"rules:\n- to:\n  - operation:\n      {operation}");
        (await Check(yaml, Plain with { Method = method, Path = path })).Should().Be(expected);
    }

    [Fact]
    public async Task When_conditions_on_headers_source_and_destination()
    {
        var header = Policy("rules:\n- when:\n  - key: request.headers[x-token]\n    values: [\"abc*\"]");
        (await Check(header, Plain with { Headers = new Dictionary<string, string> { ["x-token"] = "abc123" } })).Should().Be(Verdict.Allowed);
        (await Check(header, Plain with { Headers = new Dictionary<string, string> { ["x-token"] = "zzz" } })).Should().Be(Verdict.Denied);
        (await Check(header, Plain)).Should().Be(Verdict.Denied);
        var notHeader = Policy("rules:\n- when:\n  - key: request.headers[x-env]\n    notValues: [\"prod\"]");
        (await Check(notHeader, Plain with { Headers = new Dictionary<string, string> { ["x-env"] = "prod" } })).Should().Be(Verdict.Denied);
        (await Check(Policy("rules:\n- when:\n  - key: source.namespace\n    values: [\"bar\"]"), Sleep)).Should().Be(Verdict.Allowed);
        (await Check(Policy("rules:\n- when:\n  - key: source.principal\n    values: [\"cluster.local/ns/bar/sa/sleep\"]"), OtherInBar)).Should().Be(Verdict.Denied);
        (await Check(Policy("rules:\n- when:\n  - key: source.ip\n    values: [\"10.0.0.9\"]"), Plain)).Should().Be(Verdict.Allowed);
        (await Check(Policy("rules:\n- when:\n  - key: destination.port\n    values: [\"8000\"]"), Plain)).Should().Be(Verdict.Allowed);
        (await Check(Policy("rules:\n- when:\n  - key: destination.ip\n    values: [\"10.0.0.0/8\"]"), Plain)).Should().Be(Verdict.Allowed);
        (await Check(Policy("rules:\n- when:\n  - key: destination.port\n    notValues: [\"8000\"]"), Plain)).Should().Be(Verdict.Denied);
    }

    [Fact]
    public async Task Request_principals_and_jwt_claims_match_the_verified_token()
    {
        var alice = Plain with { JwtClaims = """{"iss":"https://issuer.example","sub":"alice","aud":["web","api"],"azp":"spa","groups":["dev","admins"],"realm":{"role":"owner"},"tier":"gold"}""" };
        var bob = Plain with { JwtClaims = """{"iss":"https://issuer.example","sub":"bob","aud":"web","groups":"dev","tier":"free"}""" };
        var mallory = Plain with { JwtClaims = """{"iss":"https://evil.example","sub":"alice"}""" };

        var exact = Policy("rules:\n- from:\n  - source:\n      requestPrincipals: [\"https://issuer.example/alice\"]");
        (await Check(exact, alice)).Should().Be(Verdict.Allowed);
        (await Check(exact, bob)).Should().Be(Verdict.Denied);
        (await Check(exact, mallory)).Should().Be(Verdict.Denied);
        (await Check(exact, Plain)).Should().Be(Verdict.Denied, "no token");
        var anyToken = Policy("rules:\n- from:\n  - source:\n      requestPrincipals: [\"*\"]");
        (await Check(anyToken, mallory)).Should().Be(Verdict.Allowed);
        (await Check(anyToken, Plain)).Should().Be(Verdict.Denied);
        (await Check(Policy("rules:\n- from:\n  - source:\n      requestPrincipals: [\"https://issuer.example/*\"]"), bob)).Should().Be(Verdict.Allowed);
        (await Check(Policy("rules:\n- from:\n  - source:\n      notRequestPrincipals: [\"*/bob\"]"), bob)).Should().Be(Verdict.Denied);

        var groups = Policy("rules:\n- when:\n  - key: request.auth.claims[groups]\n    values: [\"admins\"]");
        (await Check(groups, alice)).Should().Be(Verdict.Allowed, "a list claim matches by any element");
        (await Check(groups, bob)).Should().Be(Verdict.Denied);
        (await Check(Policy("rules:\n- when:\n  - key: request.auth.claims[groups]\n    values: [\"dev\"]"), bob)).Should().Be(Verdict.Allowed, "a string claim matches too");
        (await Check(Policy("rules:\n- when:\n  - key: request.auth.claims[realm][role]\n    values: [\"owner\"]"), alice)).Should().Be(Verdict.Allowed);
        (await Check(Policy("rules:\n- when:\n  - key: request.auth.claims[tier]\n    notValues: [\"free\"]"), bob)).Should().Be(Verdict.Denied);
        (await Check(Policy("rules:\n- when:\n  - key: request.auth.audiences\n    values: [\"api\"]"), alice)).Should().Be(Verdict.Allowed);
        (await Check(Policy("rules:\n- when:\n  - key: request.auth.audiences\n    values: [\"api\"]"), bob)).Should().Be(Verdict.Denied);
        (await Check(Policy("rules:\n- when:\n  - key: request.auth.presenter\n    values: [\"spa\"]"), alice)).Should().Be(Verdict.Allowed);
    }

    [Fact]
    public async Task Deny_is_checked_before_allow_and_wins()
    {
        var yaml = Policy("action: DENY\nrules:\n- to:\n  - operation:\n      paths: [\"/admin*\"]", "deny-admin") + "\n---\n"
            + Policy("rules:\n- from:\n  - source:\n      namespaces: [\"bar\"]", "allow-bar");
        var sim = AuthorizationSimulation.Load(yaml);
        (await sim.CheckAsync(Sleep with { Path = "/admin/users" })).Should().Be(Verdict.Denied);
        (await sim.CheckAsync(Sleep with { Path = "/home" })).Should().Be(Verdict.Allowed);
        (await sim.CheckAsync(InBaz with { Path = "/home" })).Should().Be(Verdict.Denied, "an ALLOW policy exists and does not match");
        (await Check(Policy("action: DENY\nrules:\n- from:\n  - source:\n      notNamespaces: [\"bar\"]"), InBaz)).Should().Be(Verdict.Denied);
        (await Check(Policy("action: DENY\nrules:\n- from:\n  - source:\n      notNamespaces: [\"bar\"]"), Sleep)).Should().Be(Verdict.Allowed, "only DENY policies: the rest is allowed");
    }

    [Fact]
    public async Task Audit_never_decides_access()
    {
        (await Check(Policy("action: AUDIT\nrules: [{}]"), Plain)).Should().Be(Verdict.Allowed);
        var auditAndAllow = Policy("action: AUDIT\nrules: [{}]", "audit") + "\n---\n" + Policy("rules:\n- from:\n  - source:\n      namespaces: [\"bar\"]", "allow-bar");
        (await Check(auditAndAllow, InBaz)).Should().Be(Verdict.Denied);
        (await Check(auditAndAllow, Sleep)).Should().Be(Verdict.Allowed);
    }

    [Fact]
    public async Task Dry_run_policies_are_evaluated_but_never_enforced()
    {
        const string dryRun = "  annotations:\n    istio.io/dry-run: \"true\"";
        (await Check(Policy("action: DENY\nrules: [{}]", annotations: dryRun), Plain)).Should().Be(Verdict.Allowed);
        (await Check(Policy("{}", annotations: dryRun), Plain)).Should().Be(Verdict.Allowed, "a dry-run ALLOW leaves no enforced ALLOW");
        var mixed = Policy("action: DENY\nrules: [{}]", "dry", annotations: dryRun) + "\n---\n" + Policy("action: DENY\nrules:\n- to:\n  - operation:\n      methods: [\"DELETE\"]", "real");
        (await Check(mixed, Plain with { Method = "DELETE" })).Should().Be(Verdict.Denied);
        (await Check(mixed, Plain)).Should().Be(Verdict.Allowed);
    }

    [Fact]
    public async Task Root_namespace_policies_apply_mesh_wide_and_other_namespaces_do_not()
    {
        (await Check(Policy("action: DENY\nrules: [{}]", ns: "istio-system"), Plain)).Should().Be(Verdict.Denied);
        (await Check(Policy("action: DENY\nrules: [{}]\nselector:\n  matchLabels:\n    app: httpbin", ns: "istio-system"), Plain)).Should().Be(Verdict.Denied);
        (await Check(Policy("action: DENY\nrules: [{}]\nselector:\n  matchLabels:\n    app: other", ns: "istio-system"), Plain)).Should().Be(Verdict.Allowed);
        (await Check(Policy("action: DENY\nrules: [{}]", ns: "bar"), Plain)).Should().Be(Verdict.Allowed);
    }
}
