using System.Net;
using System.Text.Json;
using Envoy.Config.Rbac.V3;
using Envoy.Type.Matcher.V3;
using FluentAssertions;
using Microsoft.AspNetCore.Http;
using Rigging.Proxy.Config;
using Rigging.Proxy.Http.Filters.Rbac;
using Rigging.Proxy.Security;
using Rigging.Proxy.Tests.Infrastructure;
using Action = Envoy.Config.Rbac.V3.RBAC.Types.Action;

namespace Rigging.Proxy.Tests.Security.Authorization;

/// <summary>
/// The compiled RBAC engine on identities a real listener would attach (mTLS peer, verified JWT), set as request
/// features the way the TLS and JWT filters set them; and config refusals.
/// </summary>
public sealed class RbacIdentityTests
{
    private static RbacEngine Engine(RBAC rbac) => RbacCompiler.Compile(rbac, "test");

    private static RbacInput Input(string? peer = null, RequestPrincipal? jwt = null)
    {
        var context = new DefaultHttpContext();
        context.Request.Method = "GET";
        context.Request.Path = "/";
        context.Connection.RemoteIpAddress = IPAddress.Loopback;
        if (peer is not null) context.Features.Set(new PeerIdentity(peer, null));
        if (jwt is not null) context.Features.Set(jwt);
        return RbacInput.FromHttp(context);
    }

    private static RequestPrincipal Jwt(string json)
    {
        var claims = JsonDocument.Parse(json).RootElement.Clone();
        var iss = claims.GetProperty("iss").GetString()!;
        var sub = claims.GetProperty("sub").GetString()!;
        var aud = claims.TryGetProperty("aud", out var a) ? (a.ValueKind == JsonValueKind.Array ? a.EnumerateArray().Select(x => x.GetString()!).ToList() : [a.GetString()!]) : new List<string>();
        return new RequestPrincipal($"{iss}/{sub}", iss, sub, aud, null, claims);
    }

    [Fact]
    public void Authenticated_principal_name_is_matched_against_the_peers_spiffe_uri()
    {
        var principal = new Principal { Authenticated = new Principal.Types.Authenticated { PrincipalName = new StringMatcher { Exact = "spiffe://cluster.local/ns/foo/sa/bar" } } };
        var engine = Engine(EnvoyConfig.Rbac(Action.Allow, ("p", EnvoyConfig.AnyPermission(), principal)));

        engine.Allows(Input("spiffe://cluster.local/ns/foo/sa/bar"), out var policy).Should().BeTrue();
        policy.Should().Be("p");
        engine.Allows(Input("spiffe://cluster.local/ns/foo/sa/baz"), out _).Should().BeFalse();
        engine.Allows(Input(), out _).Should().BeFalse("a plaintext caller has no identity");
    }

    [Fact]
    public void Authenticated_without_a_name_matches_any_mtls_peer_and_namespace_regex_selects_by_namespace()
    {
        var anyPeer = new Principal { Authenticated = new Principal.Types.Authenticated() };
        var inFoo = new Principal { Authenticated = new Principal.Types.Authenticated { PrincipalName = new StringMatcher { SafeRegex = new RegexMatcher { Regex = ".*/ns/foo/.*" } } } };
        var engine = Engine(EnvoyConfig.Rbac(Action.Allow, ("any-peer", EnvoyConfig.AnyPermission(), anyPeer)));

        engine.Allows(Input("spiffe://cluster.local/ns/bar/sa/x"), out var policy).Should().BeTrue();
        policy.Should().Be("any-peer");
        engine.Allows(Input(), out _).Should().BeFalse();
        Engine(EnvoyConfig.Rbac(Action.Allow, ("foo", EnvoyConfig.AnyPermission(), inFoo))).Allows(Input("spiffe://cluster.local/ns/foo/sa/x"), out _).Should().BeTrue();
        Engine(EnvoyConfig.Rbac(Action.Allow, ("foo", EnvoyConfig.AnyPermission(), inFoo))).Allows(Input("spiffe://cluster.local/ns/foobar/sa/x"), out _).Should().BeFalse();
    }

    [Fact]
    public void Jwt_claims_match_through_envoys_jwt_authn_metadata_as_string_or_list()
    {
        // Istio's shape for request.auth.claims[groups]: or(list one_of, string) under jwt_authn/payload/groups.
        var value = new StringMatcher { Exact = "admins" };
        var claim = new MetadataMatcher
        {
            Filter = "envoy.filters.http.jwt_authn",
            Path = { new MetadataMatcher.Types.PathSegment { Key = "payload" }, new MetadataMatcher.Types.PathSegment { Key = "groups" } },
            Value = new ValueMatcher
            {
                OrMatch = new OrMatcher
                {
                    ValueMatchers =
                    {
                        new ValueMatcher { ListMatch = new ListMatcher { OneOf = new ValueMatcher { StringMatch = value } } },
                        new ValueMatcher { StringMatch = value },
                    },
                },
            },
        };
        var engine = Engine(EnvoyConfig.Rbac(Action.Allow, ("admins", EnvoyConfig.AnyPermission(), new Principal { Metadata = claim })));

        engine.Allows(Input(jwt: Jwt("""{"iss":"a","sub":"b","groups":["dev","admins"]}""")), out _).Should().BeTrue();
        engine.Allows(Input(jwt: Jwt("""{"iss":"a","sub":"b","groups":"admins"}""")), out _).Should().BeTrue();
        engine.Allows(Input(jwt: Jwt("""{"iss":"a","sub":"b","groups":["dev"]}""")), out _).Should().BeFalse();
        engine.Allows(Input(), out _).Should().BeFalse("no token, no claims");
    }

    [Fact]
    public void Istio_authn_metadata_exposes_the_request_principal()
    {
        var principal = new MetadataMatcher
        {
            Filter = "istio_authn",
            Path = { new MetadataMatcher.Types.PathSegment { Key = "request.auth.principal" } },
            Value = new ValueMatcher { StringMatch = new StringMatcher { Exact = "https://issuer/alice" } },
        };
        var engine = Engine(EnvoyConfig.Rbac(Action.Deny, ("no-alice", EnvoyConfig.AnyPermission(), new Principal { Metadata = principal })));

        engine.Allows(Input(jwt: Jwt("""{"iss":"https://issuer","sub":"alice"}""")), out _).Should().BeFalse();
        engine.Allows(Input(jwt: Jwt("""{"iss":"https://issuer","sub":"bob"}""")), out _).Should().BeTrue();
    }

    [Fact]
    public void A_bad_cidr_or_an_empty_rule_is_refused_naming_the_policy_and_field()
    {
        var bad = EnvoyConfig.Rbac(Action.Allow, ("office", EnvoyConfig.AnyPermission(), EnvoyConfig.Remote("10.0.0.300", 8)));
        var act = () => Engine(bad);
        act.Should().Throw<ConfigException>().WithMessage("*policies[office].principals[0].remote_ip.address_prefix*10.0.0.300*");

        var empty = EnvoyConfig.Rbac(Action.Allow, ("empty", new Permission(), EnvoyConfig.AnyPrincipal()));
        var refused = () => Engine(empty);
        refused.Should().Throw<ConfigException>().WithMessage("*policies[empty].permissions[0]: rule is required*");
    }
}
