using System.Net;
using Envoy.Config.Rbac.V3;
using Envoy.Config.Route.V3;
using FluentAssertions;
using Rigging.Proxy.Tests.Infrastructure;
using Rigging.Proxy.Tests.Routing;
using Action = Envoy.Config.Rbac.V3.RBAC.Types.Action;

namespace Rigging.Proxy.Tests.Security.Authorization;

/// <summary>envoy.filters.http.rbac through a real proxy: enforcement, the 403 local reply, dry run, LOG, addresses, stats.</summary>
public sealed class RbacFilterTests
{
    private static readonly HttpClient Client = new(new SocketsHttpHandler { UseProxy = false });

    private static async Task<(ProxyFixture Mesh, int Port)> StartAsync(params Envoy.Extensions.Filters.Network.HttpConnectionManager.V3.HttpFilter[] filters)
    {
        var mesh = await ProxyFixture.StartAsync();
        var port = FreePort.Get();
        await mesh.ApplyAsync(EnvoyConfig.FilteredListener(port, filters), EnvoyConfig.Routes("r", EnvoyConfig.Answer(new RouteMatch { Prefix = "/" }, "ok")));
        return (mesh, port);
    }

    private static async Task<(HttpStatusCode Status, string Body)> SendAsync(int port, string path, HttpMethod? method = null, params (string Name, string Value)[] headers)
    {
        using var request = new HttpRequestMessage(method ?? HttpMethod.Get, $"http://127.0.0.1:{port}{path}");
        foreach (var (name, value) in headers) request.Headers.TryAddWithoutValidation(name, value);
        using var response = await Client.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Deny_policy_refuses_matching_requests_with_403_RBAC_access_denied_and_counts_them()
    {
        var (mesh, port) = await StartAsync(EnvoyConfig.RbacFilter(EnvoyConfig.Rbac(Action.Deny, ("deny-evil", EnvoyConfig.HeaderIs("x-user", "evil"), EnvoyConfig.AnyPrincipal()))));
        await using var _ = mesh;

        (await SendAsync(port, "/", null, ("x-user", "evil"))).Should().Be((HttpStatusCode.Forbidden, "RBAC: access denied"));
        (await SendAsync(port, "/", null, ("x-user", "good"))).Should().Be((HttpStatusCode.OK, "ok"));
        (await SendAsync(port, "/")).Should().Be((HttpStatusCode.OK, "ok"));

        await Eventually.TrueAsync(() => mesh.Proxy.Stats.Get("ingress", "rbac.allowed") == 2);
        mesh.Proxy.Stats.Get("ingress", "rbac.denied").Should().Be(1);
        await Eventually.TrueAsync(() => mesh.Proxy.Stats.Get("ingress", "response_flags_RBAC") == 1);
    }

    [Fact]
    public async Task Allow_policy_admits_only_requests_matching_both_method_and_path()
    {
        var permission = EnvoyConfig.AllOf(EnvoyConfig.HeaderIs(":method", "GET"), EnvoyConfig.PathPrefix("/public"));
        var (mesh, port) = await StartAsync(EnvoyConfig.RbacFilter(EnvoyConfig.Rbac(Action.Allow, ("public-reads", permission, EnvoyConfig.AnyPrincipal()))));
        await using var _ = mesh;

        (await SendAsync(port, "/public/page?x=1")).Status.Should().Be(HttpStatusCode.OK, "url_path ignores the query");
        (await SendAsync(port, "/public", HttpMethod.Post)).Status.Should().Be(HttpStatusCode.Forbidden);
        (await SendAsync(port, "/private")).Status.Should().Be(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Allow_rules_without_policies_deny_everything()
    {
        var (mesh, port) = await StartAsync(EnvoyConfig.RbacFilter(EnvoyConfig.Rbac(Action.Allow)));
        await using var _ = mesh;

        (await SendAsync(port, "/")).Should().Be((HttpStatusCode.Forbidden, "RBAC: access denied"));
    }

    [Fact]
    public async Task Dry_run_shadow_rules_count_their_decision_but_never_refuse()
    {
        var shadow = EnvoyConfig.Rbac(Action.Deny, ("ns[default]-policy[block]-rule[0]", EnvoyConfig.PathPrefix("/admin"), EnvoyConfig.AnyPrincipal()));
        var (mesh, port) = await StartAsync(EnvoyConfig.RbacFilter(null, shadow, "istio_dry_run_deny_"));
        await using var _ = mesh;

        (await SendAsync(port, "/admin")).Should().Be((HttpStatusCode.OK, "ok"));
        (await SendAsync(port, "/home")).Should().Be((HttpStatusCode.OK, "ok"));

        await Eventually.TrueAsync(() => mesh.Proxy.Stats.Get("ingress", "rbac.istio_dry_run_deny_shadow_denied") == 1);
        mesh.Proxy.Stats.Get("ingress", "rbac.istio_dry_run_deny_shadow_allowed").Should().Be(1);
        mesh.Proxy.Stats.Get("ingress", "rbac.denied").Should().Be(0);
    }

    [Fact]
    public async Task Log_action_lets_every_request_through_and_counts_which_matched()
    {
        var (mesh, port) = await StartAsync(EnvoyConfig.RbacFilter(EnvoyConfig.Rbac(Action.Log, ("audit-admin", EnvoyConfig.PathPrefix("/admin"), EnvoyConfig.AnyPrincipal()))));
        await using var _ = mesh;

        (await SendAsync(port, "/admin")).Status.Should().Be(HttpStatusCode.OK);
        (await SendAsync(port, "/other")).Status.Should().Be(HttpStatusCode.OK);

        await Eventually.TrueAsync(() => mesh.Proxy.Stats.Get("ingress", "rbac.logged") == 1);
        mesh.Proxy.Stats.Get("ingress", "rbac.not_logged").Should().Be(1);
    }

    [Fact]
    public async Task Direct_remote_ip_reads_the_peer_and_remote_ip_reads_x_forwarded_for()
    {
        var rules = EnvoyConfig.Rbac(Action.Allow,
            ("loopback-peer", EnvoyConfig.PathPrefix("/direct"), EnvoyConfig.DirectRemote("127.0.0.1", 32)),
            ("office", EnvoyConfig.PathPrefix("/remote"), EnvoyConfig.Remote("10.0.0.0", 8)));
        var (mesh, port) = await StartAsync(EnvoyConfig.RbacFilter(rules));
        await using var _ = mesh;

        (await SendAsync(port, "/direct")).Status.Should().Be(HttpStatusCode.OK);
        (await SendAsync(port, "/remote")).Status.Should().Be(HttpStatusCode.Forbidden, "the peer 127.0.0.1 is not in 10/8");
        (await SendAsync(port, "/remote", null, ("x-forwarded-for", "192.168.1.1, 10.1.2.3"))).Status.Should().Be(HttpStatusCode.OK);
        (await SendAsync(port, "/remote", null, ("x-forwarded-for", "10.1.2.3, 192.168.1.1"))).Status.Should().Be(HttpStatusCode.Forbidden, "only the last hop is trusted");
    }

    [Fact]
    public async Task Authority_matcher_sees_the_host_header_case_insensitively()
    {
        var host = new Permission { Header = new HeaderMatcher { Name = ":authority", StringMatch = new Envoy.Type.Matcher.V3.StringMatcher { Prefix = "shop.example.com", IgnoreCase = true } } };
        var (mesh, port) = await StartAsync(EnvoyConfig.RbacFilter(EnvoyConfig.Rbac(Action.Allow, ("shop", host, EnvoyConfig.AnyPrincipal()))));
        await using var _ = mesh;

        (await SendAsync(port, "/", null, ("Host", "SHOP.example.com:8080"))).Status.Should().Be(HttpStatusCode.OK);
        (await SendAsync(port, "/", null, ("Host", "other.example.com"))).Status.Should().Be(HttpStatusCode.Forbidden);
    }
}
