using Rigging.Api.Networking;

namespace Rigging.Api.Validation;

internal sealed partial class EnvoyFilterValidator
{
    private const string HttpConnectionManager = "envoy.filters.network.http_connection_manager";

    /// <summary>Old Envoy filter names istiod still understands, with the names to use instead.</summary>
    private static readonly Dictionary<string, string> DeprecatedFilterNames = new(StringComparer.Ordinal)
    {
        ["envoy.buffer"] = "envoy.filters.http.buffer",
        ["envoy.cors"] = "envoy.filters.http.cors",
        ["envoy.csrf"] = "envoy.filters.http.csrf",
        ["envoy.http_dynamo_filter"] = "envoy.filters.http.dynamo",
        ["envoy.ext_authz"] = "envoy.filters.http.ext_authz (or envoy.filters.network.ext_authz)",
        ["envoy.fault"] = "envoy.filters.http.fault",
        ["envoy.grpc_http1_bridge"] = "envoy.filters.http.grpc_http1_bridge",
        ["envoy.grpc_json_transcoder"] = "envoy.filters.http.grpc_json_transcoder",
        ["envoy.grpc_web"] = "envoy.filters.http.grpc_web",
        ["envoy.gzip"] = "envoy.filters.http.gzip",
        ["envoy.health_check"] = "envoy.filters.http.health_check",
        ["envoy.ip_tagging"] = "envoy.filters.http.ip_tagging",
        ["envoy.lua"] = "envoy.filters.http.lua",
        ["envoy.rate_limit"] = "envoy.filters.http.ratelimit",
        ["envoy.router"] = "envoy.filters.http.router",
        ["envoy.squash"] = "envoy.filters.http.squash",
        ["envoy.listener.http_inspector"] = "envoy.filters.listener.http_inspector",
        ["envoy.listener.original_dst"] = "envoy.filters.listener.original_dst",
        ["envoy.listener.original_src"] = "envoy.filters.listener.original_src",
        ["envoy.listener.proxy_protocol"] = "envoy.filters.listener.proxy_protocol",
        ["envoy.listener.tls_inspector"] = "envoy.filters.listener.tls_inspector",
        ["envoy.client_ssl_auth"] = "envoy.filters.network.client_ssl_auth",
        ["envoy.http_connection_manager"] = HttpConnectionManager,
        ["envoy.mongo_proxy"] = "envoy.filters.network.mongo_proxy",
        ["envoy.ratelimit"] = "envoy.filters.network.ratelimit",
        ["envoy.redis_proxy"] = "envoy.filters.network.redis_proxy",
        ["envoy.tcp_proxy"] = "envoy.filters.network.tcp_proxy",
    };

    /// <summary>The match must select the kind of object applyTo names.</summary>
    private static void ValidateObjectMatch(EnvoyFilterApplyTo applyTo, EnvoyConfigObjectMatch? match, FieldPath path, ValidationContext context)
    {
        var hasObjectMatch = match is not null && (match.Listener ?? match.RouteConfiguration ?? match.Cluster ?? (object?)match.Waypoint) is not null;
        if (!hasObjectMatch) return;
        switch (applyTo)
        {
            case EnvoyFilterApplyTo.LISTENER or EnvoyFilterApplyTo.FILTER_CHAIN or EnvoyFilterApplyTo.NETWORK_FILTER or EnvoyFilterApplyTo.HTTP_FILTER:
                if (match!.Listener is not { } listener)
                    context.Error(path, $"applyTo {applyTo} patches a listener-class object, so the match must be a listener match");
                else if (listener.FilterChain?.Filter is { } filter)
                    ValidateFilterMatch(applyTo, filter, path.Child("listener").Child("filterChain").Child("filter"), context);
                break;
            case EnvoyFilterApplyTo.ROUTE_CONFIGURATION or EnvoyFilterApplyTo.VIRTUAL_HOST or EnvoyFilterApplyTo.HTTP_ROUTE:
                if (match!.RouteConfiguration is null)
                    context.Error(path, $"applyTo {applyTo} patches a route-class object, so the match must be a routeConfiguration match");
                break;
            case EnvoyFilterApplyTo.CLUSTER:
                if (match!.Cluster is null)
                    context.Error(path, "applyTo CLUSTER patches a cluster, so the match must be a cluster match");
                break;
        }
    }

    private static void ValidateFilterMatch(EnvoyFilterApplyTo applyTo, ListenerFilterMatch filter, FieldPath path, ValidationContext context)
    {
        if (applyTo is EnvoyFilterApplyTo.LISTENER or EnvoyFilterApplyTo.FILTER_CHAIN)
            context.Warning(path, $"a filter match has no effect with applyTo {applyTo}");
        if (string.IsNullOrEmpty(filter.Name))
        {
            context.Required(path.Child("name"), "the network filter to match, such as " + HttpConnectionManager);
            return;
        }
        if (filter.SubFilter is { } subFilter)
        {
            var subPath = path.Child("subFilter");
            if (applyTo != EnvoyFilterApplyTo.HTTP_FILTER)
            {
                context.Error(subPath, $"a subFilter match can only be used with applyTo HTTP_FILTER, not {applyTo}");
                return;
            }
            if (filter.Name is not (HttpConnectionManager or "envoy.http_connection_manager"))
            {
                context.Invalid(path.Child("name"), filter.Name, $"a subFilter match requires the filter match to be {HttpConnectionManager}");
                return;
            }
            if (string.IsNullOrEmpty(subFilter.Name))
            {
                context.Required(subPath.Child("name"), "the HTTP filter to match, such as envoy.filters.http.router");
                return;
            }
        }
        WarnDeprecatedName(filter.Name, path.Child("name"), context);
        if (filter.SubFilter?.Name is { } subName) WarnDeprecatedName(subName, path.Child("subFilter").Child("name"), context);
    }

    private static void WarnDeprecatedName(string name, FieldPath path, ValidationContext context)
    {
        if (DeprecatedFilterNames.TryGetValue(name, out var current))
            context.Warning(path, $"using deprecated filter name \"{name}\"; use \"{current}\" instead");
    }
}
