using System.Collections.Immutable;
using Envoy.Type.Matcher.V3;
using Rigging.Proxy.Config;
using Rigging.Proxy.Http.Filters.Rbac;
using Rigging.Proxy.Routing;
using Proto = Envoy.Extensions.Filters.Http.ExtAuthz.V3;

namespace Rigging.Proxy.Http.Filters.ExtAuthz;

/// <summary>A compiled ext_authz filter in HTTP service mode: where to ask, what to send, what to take back.</summary>
public sealed record ExtAuthzConfig
{
    public required string Cluster { get; init; }

    public required string PathPrefix { get; init; }

    public required TimeSpan Timeout { get; init; }

    public bool FailureModeAllow { get; init; }

    /// <summary>status_on_error; Envoy's default is 403.</summary>
    public int StatusOnError { get; init; } = 403;

    public MetadataMatcherModel? EnabledMetadata { get; init; }

    /// <summary>Client headers sent to the server besides Host, :method, :path, Content-Length and Authorization.</summary>
    public ImmutableArray<StringMatcherModel> AllowedHeaders { get; init; } = [];

    public ImmutableArray<(string Name, string Value)> HeadersToAdd { get; init; } = [];

    public ImmutableArray<StringMatcherModel> UpstreamHeaders { get; init; } = [];

    public ImmutableArray<StringMatcherModel> UpstreamHeadersToAppend { get; init; } = [];

    /// <summary>Headers of a denial passed to the client; unset, all of them (but Host) are.</summary>
    public ImmutableArray<StringMatcherModel>? ClientHeaders { get; init; }

    public ImmutableArray<StringMatcherModel> ClientHeadersOnSuccess { get; init; } = [];

    public static ExtAuthzConfig Compile(Proto.ExtAuthz config, string where)
    {
        if (config.ServicesCase != Proto.ExtAuthz.ServicesOneofCase.HttpService)
            throw new ConfigException($"{where}: only http_service is supported (grpc_service is not)");
        var service = config.HttpService;
        var uri = service.ServerUri ?? throw new ConfigException($"{where}.http_service.server_uri: is required");
        if (string.IsNullOrEmpty(uri.Cluster)) throw new ConfigException($"{where}.http_service.server_uri.cluster: is required");
        if (uri.Timeout is null) throw new ConfigException($"{where}.http_service.server_uri.timeout: is required");
        var timeout = uri.Timeout.ToTimeSpan();
        if (timeout < TimeSpan.Zero) throw new ConfigException($"{where}.http_service.server_uri.timeout: must not be negative");
        if (service.PathPrefix.Length > 0 && service.PathPrefix[0] != '/')
            throw new ConfigException($"{where}.http_service.path_prefix: \"{service.PathPrefix}\" must start with /");
        var status = config.StatusOnError is { } s && (int)s.Code is var code && code != 0 ? code : 403;
        if (status is < 200 or > 599) throw new ConfigException($"{where}.status_on_error: {status} is not an HTTP status");
        var response = service.AuthorizationResponse;
        return new ExtAuthzConfig
        {
            Cluster = uri.Cluster,
            PathPrefix = service.PathPrefix,
            Timeout = timeout,
            FailureModeAllow = config.FailureModeAllow,
            StatusOnError = status,
            EnabledMetadata = config.FilterEnabledMetadata is { } m ? MetadataMatcherModel.Compile(m, $"{where}.filter_enabled_metadata") : null,
            AllowedHeaders = List(config.AllowedHeaders ?? service.AuthorizationRequest?.AllowedHeaders, $"{where}.allowed_headers"),
            HeadersToAdd = [.. (service.AuthorizationRequest?.HeadersToAdd ?? []).Select(h => (h.Key.ToLowerInvariant(), h.Value))],
            UpstreamHeaders = List(response?.AllowedUpstreamHeaders, $"{where}.authorization_response.allowed_upstream_headers"),
            UpstreamHeadersToAppend = List(response?.AllowedUpstreamHeadersToAppend, $"{where}.authorization_response.allowed_upstream_headers_to_append"),
            ClientHeaders = response?.AllowedClientHeaders is { } client ? List(client, $"{where}.authorization_response.allowed_client_headers") : null,
            ClientHeadersOnSuccess = List(response?.AllowedClientHeadersOnSuccess, $"{where}.authorization_response.allowed_client_headers_on_success"),
        };
    }

    private static ImmutableArray<StringMatcherModel> List(ListStringMatcher? list, string where) =>
        list is null ? [] : [.. list.Patterns.Select((p, i) => RouteCompiler.String(p, $"{where}.patterns[{i}]"))];

    internal static bool AnyMatches(ImmutableArray<StringMatcherModel> matchers, string name)
    {
        foreach (var m in matchers)
        {
            if (m.Matches(name)) return true;
        }
        return false;
    }
}
