using Envoy.Extensions.Filters.Network.HttpConnectionManager.V3;
using Rigging.Proxy.Config;
using Rigging.Proxy.Http.Filters.ExtAuthz;
using Rigging.Proxy.Listeners;
using ExtAuthzProto = Envoy.Extensions.Filters.Http.ExtAuthz.V3.ExtAuthz;
using RbacProto = Envoy.Extensions.Filters.Http.Rbac.V3.RBAC;
using Rigging.Xds.Protos;

namespace Rigging.Proxy.Http.Filters.Rbac;

/// <summary>The authorization HTTP filters (rbac, ext_authz), chosen by typed_config type; null for other filters.</summary>
internal static class RbacFilterCompiler
{
    public static HttpFilterConfig? TryCompile(HttpFilter filter, string? type, string where)
    {
        if (type == AnyPayload.NameOf<RbacProto>() || (type is null && filter.Name == RbacFilter.Name))
        {
            var rbac = type is null ? new RbacProto() : HttpFilterCompiler.Unpack<RbacProto>(filter, where);
            return new HttpFilterConfig(filter.Name, Compile(rbac, $"{where}: typed_config"));
        }
        if (type == AnyPayload.NameOf<ExtAuthzProto>())
            return new HttpFilterConfig(filter.Name, new ExtAuthzFilter(ExtAuthzConfig.Compile(HttpFilterCompiler.Unpack<ExtAuthzProto>(filter, where), $"{where}: typed_config")));
        return null;
    }

    public static RbacFilter Compile(RbacProto rbac, string where) => new(
        rbac.Rules is { } rules ? RbacCompiler.Compile(rules, $"{where}.rules") : null,
        rbac.ShadowRules is { } shadow ? RbacCompiler.Compile(shadow, $"{where}.shadow_rules") : null,
        rbac.RulesStatPrefix,
        rbac.ShadowRulesStatPrefix);
}
