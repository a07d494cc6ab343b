using System.Collections.Frozen;
using System.Collections.Immutable;
using Envoy.Type.Matcher.V3;
using Google.Protobuf;
using Google.Protobuf.Collections;
using Google.Protobuf.WellKnownTypes;
using Rigging.Proxy.Http.Filters.Cors;
using Rigging.Proxy.Http.Filters.Fault;
using Rigging.Proxy.Routing;
using FilterCorsPolicy = Envoy.Extensions.Filters.Http.Cors.V3.CorsPolicy;
using HTTPFault = Envoy.Extensions.Filters.Http.Fault.V3.HTTPFault;
using RouteCorsPolicy = Envoy.Config.Route.V3.CorsPolicy;
using Rigging.Xds.Protos;

namespace Rigging.Proxy.Config;

internal static partial class RouteCompiler
{
    private static readonly IReadOnlyDictionary<string, object> NoFilters = FrozenDictionary<string, object>.Empty;

    /// <summary>typed_per_filter_config: known configs compiled (fault, CORS), others kept as their Any.</summary>
    private static IReadOnlyDictionary<string, object> FilterConfigs(MapField<string, Any> configs, string where)
    {
        if (configs.Count == 0) return NoFilters;
        var compiled = new Dictionary<string, object>(StringComparer.Ordinal);
        foreach (var (name, any) in configs)
        {
            var at = $"{where}[{name}]";
            var type = AnyPayload.TypeName(any);
            if (type == AnyPayload.NameOf<HTTPFault>()) compiled[name] = FaultConfig.Compile(Unpack<HTTPFault>(any, at), at);
            else if (type == AnyPayload.NameOf<FilterCorsPolicy>()) compiled[name] = Cors(Unpack<FilterCorsPolicy>(any, at), at);
            else compiled[name] = any;
        }
        return compiled.ToFrozenDictionary(StringComparer.Ordinal);
    }

    /// <summary>The more specific configs over the less specific ones; CORS policies merge field by field.</summary>
    private static IReadOnlyDictionary<string, object> Merge(IReadOnlyDictionary<string, object> inner, IReadOnlyDictionary<string, object> outer)
    {
        if (inner.Count == 0) return outer;
        if (outer.Count == 0) return inner;
        var merged = new Dictionary<string, object>(outer, StringComparer.Ordinal);
        foreach (var (name, config) in inner)
        {
            merged[name] = config is CorsPolicyModel cors && outer.TryGetValue(name, out var o) && o is CorsPolicyModel outerCors ? cors.Over(outerCors) : config;
        }
        return merged.ToFrozenDictionary(StringComparer.Ordinal);
    }

    /// <summary>
    /// A route's configs in effect. Without any typed CORS policy at any level, the deprecated RouteAction.cors and
    /// VirtualHost.cors fields still count (route over virtual host), as in Envoy.
    /// </summary>
    private static IReadOnlyDictionary<string, object> Effective(IReadOnlyDictionary<string, object> route, Scope scope, CorsPolicyModel? routeCors)
    {
        var merged = Merge(route, scope.Filters);
        var legacy = routeCors is not null && scope.LegacyCors is not null ? routeCors.Over(scope.LegacyCors) : routeCors ?? scope.LegacyCors;
        if (legacy is null) return merged;
        foreach (var config in merged.Values)
        {
            if (config is CorsPolicyModel) return merged;
        }
        return new Dictionary<string, object>(merged, StringComparer.Ordinal) { [CorsPolicyModel.FilterName] = legacy }.ToFrozenDictionary(StringComparer.Ordinal);
    }

    private static CorsPolicyModel Cors(FilterCorsPolicy policy, string where) => Cors(
        policy.AllowOriginStringMatch, policy.AllowMethods, policy.AllowHeaders, policy.ExposeHeaders, policy.MaxAge, policy.AllowCredentials,
        policy.FilterEnabled, where);

    private static CorsPolicyModel Cors(RouteCorsPolicy policy, string where) => Cors(
        policy.AllowOriginStringMatch, policy.AllowMethods, policy.AllowHeaders, policy.ExposeHeaders, policy.MaxAge, policy.AllowCredentials,
        policy.FilterEnabled, where);

    private static CorsPolicyModel Cors(RepeatedField<StringMatcher> origins, string methods, string headers, string expose, string maxAge,
        bool? credentials, Envoy.Config.Core.V3.RuntimeFractionalPercent? enabled, string where)
    {
        var matchers = ImmutableArray.CreateBuilder<StringMatcherModel>(origins.Count);
        for (var i = 0; i < origins.Count; i++) matchers.Add(String(origins[i], $"{where}.allow_origin_string_match[{i}]"));
        if (maxAge.Length > 0 && !long.TryParse(maxAge, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out _))
            throw new ConfigException($"{where}.max_age \"{maxAge}\" must be a number of seconds");
        return new CorsPolicyModel
        {
            AllowOrigins = matchers.MoveToImmutable(),
            AllowMethods = methods.Length > 0 ? methods : null,
            AllowHeaders = headers.Length > 0 ? headers : null,
            ExposeHeaders = expose.Length > 0 ? expose : null,
            MaxAge = maxAge.Length > 0 ? maxAge : null,
            AllowCredentials = credentials,
            Enabled = Fractions.Of(enabled),
        };
    }

    private static T Unpack<T>(Any any, string where) where T : class, IMessage<T>, new()
    {
        try
        {
            return AnyPayload.Parse<T>(any);
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new ConfigException($"{where}: does not parse as {AnyPayload.NameOf<T>()}: {e.Message}");
        }
    }
}
