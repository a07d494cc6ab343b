using System.Collections.Immutable;
using Envoy.Config.Rbac.V3;
using PermissionRule = Envoy.Config.Rbac.V3.Permission.RuleOneofCase;
using PrincipalId = Envoy.Config.Rbac.V3.Principal.IdentifierOneofCase;
using Rigging.Proxy.Config;
using Rigging.Proxy.Routing;

namespace Rigging.Proxy.Http.Filters.Rbac;

/// <summary>
/// envoy.config.rbac.v3.RBAC → <see cref="RbacEngine"/>. A rule this proxy cannot evaluate is refused with the
/// policy and field named (a NACK), never silently skipped: skipping would widen an ALLOW or narrow a DENY.
/// </summary>
internal static class RbacCompiler
{
    public static RbacEngine Compile(RBAC rbac, string where)
    {
        var action = rbac.Action switch
        {
            RBAC.Types.Action.Allow => RbacAction.Allow,
            RBAC.Types.Action.Deny => RbacAction.Deny,
            RBAC.Types.Action.Log => RbacAction.Log,
            _ => throw new ConfigException($"{where}.action: {rbac.Action} is not supported"),
        };
        var policies = ImmutableArray.CreateBuilder<RbacPolicy>(rbac.Policies.Count);
        foreach (var (name, policy) in rbac.Policies.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            var at = $"{where}.policies[{name}]";
            if (policy.Permissions.Count == 0) throw new ConfigException($"{at}.permissions: needs at least one permission");
            if (policy.Principals.Count == 0) throw new ConfigException($"{at}.principals: needs at least one principal");
            policies.Add(new RbacPolicy(name,
                [.. policy.Permissions.Select((p, i) => Permission(p, $"{at}.permissions[{i}]"))],
                [.. policy.Principals.Select((p, i) => Principal(p, $"{at}.principals[{i}]"))]));
        }
        return new RbacEngine(action, policies.MoveToImmutable());
    }

    public static RbacMatcher Permission(Permission p, string where) => p.RuleCase switch
    {
        PermissionRule.Any => RbacMatcher.Any,
        PermissionRule.AndRules => RbacMatcher.And(Set(p.AndRules.Rules, $"{where}.and_rules")),
        PermissionRule.OrRules => RbacMatcher.Or(Set(p.OrRules.Rules, $"{where}.or_rules")),
        PermissionRule.NotRule => RbacMatcher.Not(Permission(p.NotRule, $"{where}.not_rule")),
        PermissionRule.Header => RbacMatcher.Header(RouteCompiler.Header(p.Header, $"{where}.header")),
        PermissionRule.UrlPath => RbacMatcher.UrlPath(Path(p.UrlPath, $"{where}.url_path")),
        PermissionRule.DestinationIp => RbacMatcher.DestinationIp(Cidr(p.DestinationIp, $"{where}.destination_ip")),
        PermissionRule.DestinationPort when p.DestinationPort <= 65535 => RbacMatcher.DestinationPort((int)p.DestinationPort),
        PermissionRule.DestinationPort => throw new ConfigException($"{where}.destination_port: {p.DestinationPort} must be 0-65535"),
        PermissionRule.RequestedServerName => RbacMatcher.ServerName(RbacStringMatcher.Compile(p.RequestedServerName, $"{where}.requested_server_name")),
        PermissionRule.Metadata => RbacMatcher.Metadata(MetadataMatcherModel.Compile(p.Metadata, $"{where}.metadata")),
        PermissionRule.None => throw new ConfigException($"{where}: rule is required"),
        _ => throw new ConfigException($"{where}: rule {p.RuleCase} is not supported"),
    };

    public static RbacMatcher Principal(Principal p, string where) => p.IdentifierCase switch
    {
        PrincipalId.Any => RbacMatcher.Any,
        PrincipalId.AndIds => RbacMatcher.And(Set(p.AndIds.Ids, $"{where}.and_ids")),
        PrincipalId.OrIds => RbacMatcher.Or(Set(p.OrIds.Ids, $"{where}.or_ids")),
        PrincipalId.NotId => RbacMatcher.Not(Principal(p.NotId, $"{where}.not_id")),
        PrincipalId.Authenticated => RbacMatcher.Authenticated(
            p.Authenticated.PrincipalName is { } name ? RbacStringMatcher.Compile(name, $"{where}.authenticated.principal_name") : null),
        PrincipalId.SourceIp => RbacMatcher.DirectRemoteIp(Cidr(p.SourceIp, $"{where}.source_ip")),
        PrincipalId.DirectRemoteIp => RbacMatcher.DirectRemoteIp(Cidr(p.DirectRemoteIp, $"{where}.direct_remote_ip")),
        PrincipalId.RemoteIp => RbacMatcher.RemoteIp(Cidr(p.RemoteIp, $"{where}.remote_ip")),
        PrincipalId.Header => RbacMatcher.Header(RouteCompiler.Header(p.Header, $"{where}.header")),
        PrincipalId.UrlPath => RbacMatcher.UrlPath(Path(p.UrlPath, $"{where}.url_path")),
        PrincipalId.Metadata => RbacMatcher.Metadata(MetadataMatcherModel.Compile(p.Metadata, $"{where}.metadata")),
        PrincipalId.None => throw new ConfigException($"{where}: identifier is required"),
        _ => throw new ConfigException($"{where}: identifier {p.IdentifierCase} is not supported"),
    };

    private static ImmutableArray<RbacMatcher> Set(IReadOnlyList<Permission> rules, string where) =>
        rules.Count == 0 ? throw new ConfigException($"{where}.rules: needs at least one rule") : [.. rules.Select((r, i) => Permission(r, $"{where}.rules[{i}]"))];

    private static ImmutableArray<RbacMatcher> Set(IReadOnlyList<Principal> ids, string where) =>
        ids.Count == 0 ? throw new ConfigException($"{where}.ids: needs at least one id") : [.. ids.Select((r, i) => Principal(r, $"{where}.ids[{i}]"))];

    private static RbacStringMatcher Path(Envoy.Type.Matcher.V3.PathMatcher path, string where) =>
        path.Path is { } m ? RbacStringMatcher.Compile(m, $"{where}.path") : throw new ConfigException($"{where}.path: is required");

    private static CidrMatcher Cidr(Envoy.Config.Core.V3.CidrRange range, string where) =>
        CidrMatcher.Compile(range.AddressPrefix, range.PrefixLen, where);
}
