using Envoy.Config.Core.V3;
using Envoy.Config.Listener.V3;
using Envoy.Config.Rbac.V3;
using Envoy.Config.Route.V3;
using Envoy.Extensions.Filters.Network.HttpConnectionManager.V3;
using Envoy.Extensions.Filters.Network.TcpProxy.V3;
using Envoy.Type.Matcher.V3;
using Google.Protobuf.WellKnownTypes;
using ExtAuthzProto = Envoy.Extensions.Filters.Http.ExtAuthz.V3;
using HttpRbac = Envoy.Extensions.Filters.Http.Rbac.V3.RBAC;
using NetworkRbac = Envoy.Extensions.Filters.Network.Rbac.V3.RBAC;

namespace Rigging.Proxy.Tests.Infrastructure;

/// <summary>RBAC and ext_authz resources, in the shapes Envoy (and Istio) use.</summary>
internal static partial class EnvoyConfig
{
    public static HttpFilter RbacFilter(RBAC? rules, RBAC? shadow = null, string shadowPrefix = "") => new()
    {
        Name = "envoy.filters.http.rbac",
        TypedConfig = Any.Pack(new HttpRbac { Rules = rules, ShadowRules = shadow, ShadowRulesStatPrefix = shadowPrefix }),
    };

    public static RBAC Rbac(RBAC.Types.Action action, params (string Name, Permission Permission, Principal Principal)[] policies)
    {
        var rbac = new RBAC { Action = action };
        foreach (var (name, permission, principal) in policies)
            rbac.Policies[name] = new Policy { Permissions = { permission }, Principals = { principal } };
        return rbac;
    }

    public static Permission AnyPermission() => new() { Any = true };

    public static Principal AnyPrincipal() => new() { Any = true };

    public static Permission HeaderIs(string name, string value) => new() { Header = new HeaderMatcher { Name = name, StringMatch = new StringMatcher { Exact = value } } };

    public static Permission PathPrefix(string prefix) => new() { UrlPath = new PathMatcher { Path = new StringMatcher { Prefix = prefix } } };

    public static Permission AllOf(params Permission[] rules) => new() { AndRules = new Permission.Types.Set { Rules = { rules } } };

    public static Principal DirectRemote(string address, uint bits) => new() { DirectRemoteIp = Cidr(address, bits) };

    public static Principal Remote(string address, uint bits) => new() { RemoteIp = Cidr(address, bits) };

    public static CidrRange Cidr(string address, uint bits) => new() { AddressPrefix = address, PrefixLen = bits };

    /// <summary>A TCP proxy chain with network RBAC in front, as Istio builds TCP inbound chains.</summary>
    public static Listener RbacTcpListener(string name, int port, string cluster, RBAC rules) => new()
    {
        Name = name,
        Address = Socket("127.0.0.1", port),
        FilterChains =
        {
            new FilterChain
            {
                Filters =
                {
                    new Filter { Name = "envoy.filters.network.rbac", TypedConfig = Any.Pack(new NetworkRbac { StatPrefix = "tcp.", Rules = rules }) },
                    new Filter { Name = "envoy.filters.network.tcp_proxy", TypedConfig = Any.Pack(new TcpProxy { StatPrefix = name, Cluster = cluster }) },
                },
            },
        },
    };

    /// <summary>ext_authz asking the cluster's HTTP server, as Istio's envoyExtAuthzHttp provider configures it.</summary>
    public static ExtAuthzProto.ExtAuthz ExtAuthz(string cluster, TimeSpan timeout, string pathPrefix = "") => new()
    {
        HttpService = new ExtAuthzProto.HttpService
        {
            ServerUri = new HttpUri { Uri = "http://authz", Cluster = cluster, Timeout = Duration.FromTimeSpan(timeout) },
            PathPrefix = pathPrefix,
        },
    };

    public static HttpFilter ExtAuthzFilter(ExtAuthzProto.ExtAuthz config) => new() { Name = "envoy.filters.http.ext_authz", TypedConfig = Any.Pack(config) };

    public static ListStringMatcher Names(params string[] exact)
    {
        var list = new ListStringMatcher();
        foreach (var name in exact) list.Patterns.Add(new StringMatcher { Exact = name, IgnoreCase = true });
        return list;
    }
}
