using Envoy.Config.Listener.V3;
using Microsoft.AspNetCore.Connections;
using Rigging.Proxy.Config;
using Rigging.Proxy.Http.Filters.Rbac;
using Rigging.Proxy.Telemetry;
using Proto = Envoy.Extensions.Filters.Network.Rbac.V3.RBAC;
using Rigging.Xds.Protos;

namespace Rigging.Proxy.Tcp;

/// <summary>
/// envoy.filters.network.rbac: the RBAC engine on a connection's attributes (peer and local address, SNI, mTLS
/// peer identity), decided once when the connection is accepted. Header, path and JWT rules never match a
/// connection. Shadow rules only count; a refusal closes the connection. Stats: &lt;stat_prefix&gt;rbac.allowed,
/// denied, shadow_allowed, shadow_denied (Envoy's names).
/// </summary>
public sealed class NetworkRbacFilter
{
    public const string Name = "envoy.filters.network.rbac";

    private readonly RbacEngine? _rules;
    private readonly RbacEngine? _shadow;
    private readonly string _allowed, _denied, _shadowAllowed, _shadowDenied;

    public NetworkRbacFilter(RbacEngine? rules, RbacEngine? shadow, string statPrefix, string shadowStatPrefix)
    {
        _rules = rules;
        _shadow = shadow;
        _allowed = $"{statPrefix}rbac.allowed";
        _denied = $"{statPrefix}rbac.denied";
        _shadowAllowed = $"{statPrefix}rbac.{shadowStatPrefix}shadow_allowed";
        _shadowDenied = $"{statPrefix}rbac.{shadowStatPrefix}shadow_denied";
    }

    /// <summary>The RBAC filters of a chain (those before its terminal filter), in order; other filters are left to the listener.</summary>
    public static IReadOnlyList<NetworkRbacFilter> CompileChain(IReadOnlyList<Filter> filters, string where)
    {
        List<NetworkRbacFilter>? compiled = null;
        for (var i = 0; i < filters.Count - 1; i++)
        {
            var filter = filters[i];
            var type = filter.TypedConfig is { } any ? AnyPayload.TypeName(any) : null;
            if (type != AnyPayload.NameOf<Proto>() && !(type is null && filter.Name == Name)) continue;
            var at = $"{where}: filters[{i}] {filter.Name}";
            Proto config;
            try
            {
                config = type is null ? new Proto() : AnyPayload.Parse<Proto>(filter.TypedConfig!);
            }
            catch (Google.Protobuf.InvalidProtocolBufferException e)
            {
                throw new ConfigException($"{at}: typed_config does not parse as {AnyPayload.NameOf<Proto>()}: {e.Message}");
            }
            if (string.IsNullOrEmpty(config.StatPrefix)) throw new ConfigException($"{at}: stat_prefix is required");
            (compiled ??= []).Add(new NetworkRbacFilter(
                config.Rules is { } rules ? RbacCompiler.Compile(rules, $"{at}.rules") : null,
                config.ShadowRules is { } shadow ? RbacCompiler.Compile(shadow, $"{at}.shadow_rules") : null,
                config.StatPrefix, config.ShadowRulesStatPrefix));
        }
        return compiled ?? (IReadOnlyList<NetworkRbacFilter>)[];
    }

    /// <summary>Whether the connection may go on (counted under the listener's stats as Envoy's are).</summary>
    public bool Allows(in RbacInput input, ProxyStats stats, string scope)
    {
        if (_shadow is not null) stats.Increment(scope, _shadow.Allows(input, out _) ? _shadowAllowed : _shadowDenied);
        if (_rules is null || _rules.Action == RbacAction.Log) return true;
        var allowed = _rules.Allows(input, out _);
        stats.Increment(scope, allowed ? _allowed : _denied);
        return allowed;
    }

    /// <summary>Runs a chain's RBAC filters on a new connection: false when one refuses it.</summary>
    public static bool AllowsConnection(IReadOnlyList<NetworkRbacFilter> filters, ConnectionContext connection, ProxyStats stats, string scope)
    {
        if (filters.Count == 0) return true;
        var input = RbacInput.FromConnection(connection, null);
        foreach (var filter in filters)
        {
            if (!filter.Allows(input, stats, scope)) return false;
        }
        return true;
    }
}
