using System.Globalization;
using Envoy.Config.Core.V3;
using Envoy.Extensions.Filters.Http.ExtAuthz.V3;
using Envoy.Type.Matcher.V3;
using Google.Protobuf.WellKnownTypes;

namespace Rigging.ControlPlane.Translation.Security.Authorization;

/// <summary>
/// A mesh extension provider (envoyExtAuthzHttp) → Envoy's ext_authz filter in HTTP service mode, as Istio builds it:
/// the service's outbound cluster, timeout 600 s unless given, headers lists as case-insensitive exact / prefix* /
/// *suffix matchers, and filter_enabled_metadata so that only requests the CUSTOM RBAC shadow rules marked are checked.
/// </summary>
internal static class ExtAuthzTranslator
{
    public static ExtAuthz? Build(string providerName, PushContext push, out string? error)
    {
        error = null;
        ExtensionProvider? provider = null;
        foreach (var p in push.Mesh.ExtensionProviders)
        {
            if (p.Name == providerName) provider = p;
        }
        if (provider is null)
        {
            error = $"available providers are [{string.Join(' ', push.Mesh.ExtensionProviders.Select(p => p.Name))}] but found \"{providerName}\"";
            return null;
        }
        if (provider.EnvoyExtAuthzHttp is not { } http)
        {
            error = $"provider {providerName} is not an envoyExtAuthzHttp provider";
            return null;
        }
        if (http.Port is < 1 or > 65535)
        {
            error = $"port must be in the range [1, 65535], found: {http.Port}";
            return null;
        }
        var host = http.Service.Contains('/', StringComparison.Ordinal) ? http.Service[(http.Service.IndexOf('/', StringComparison.Ordinal) + 1)..] : http.Service;
        var service = push.FindService(host);
        if (service is null || !service.Ports.Any(p => p.Port == http.Port))
        {
            error = service is null ? $"could not find service {http.Service} in the registry" : $"service {host} has no port {http.Port}";
            return null;
        }
        if (http.PathPrefix.Length > 0 && !http.PathPrefix.StartsWith('/'))
        {
            error = $"pathPrefix must begin with `/`, found: \"{http.PathPrefix}\"";
            return null;
        }
        var status = 0;
        if (http.StatusOnError.Length > 0 && (!int.TryParse(http.StatusOnError, NumberStyles.None, CultureInfo.InvariantCulture, out status) || status is < 100 or > 599))
        {
            error = $"unsupported statusOnError {http.StatusOnError}";
            return null;
        }

        var config = new ExtAuthz
        {
            HttpService = new HttpService
            {
                ServerUri = new HttpUri
                {
                    Uri = $"http://{host}",
                    Cluster = ClusterNames.Outbound(host, http.Port),
                    Timeout = Duration.FromTimeSpan(http.Timeout ?? TimeSpan.FromSeconds(600)),
                },
                PathPrefix = http.PathPrefix,
            },
            FailureModeAllow = http.FailOpen,
            FilterEnabledMetadata = new MetadataMatcher
            {
                Filter = AuthorizationFilters.HttpRbacName,
                Path = { new MetadataMatcher.Types.PathSegment { Key = "istio_ext_authz_shadow_effective_policy_id" } },
                Value = new ValueMatcher { StringMatch = new StringMatcher { Prefix = $"{AuthorizationBuilder.ExtAuthzPrefix}-{providerName}" } },
            },
        };
        if (status != 0) config.StatusOnError = new Envoy.Type.V3.HttpStatus { Code = (Envoy.Type.V3.StatusCode)status };
        if (Headers(http.IncludeRequestHeadersInCheck) is { } allowed) config.AllowedHeaders = allowed;
        if (http.IncludeAdditionalHeadersInCheck.Count > 0)
        {
            var request = new AuthorizationRequest();
            foreach (var (key, value) in http.IncludeAdditionalHeadersInCheck.OrderBy(h => h.Key, StringComparer.Ordinal))
                request.HeadersToAdd.Add(new HeaderValue { Key = key, Value = value });
            config.HttpService.AuthorizationRequest = request;
        }
        if (http.HeadersToUpstreamOnAllow.Count > 0 || http.HeadersToDownstreamOnDeny.Count > 0 || http.HeadersToDownstreamOnAllow.Count > 0)
        {
            config.HttpService.AuthorizationResponse = new AuthorizationResponse
            {
                AllowedUpstreamHeaders = Headers(http.HeadersToUpstreamOnAllow),
                AllowedClientHeaders = Headers(http.HeadersToDownstreamOnDeny),
                AllowedClientHeadersOnSuccess = Headers(http.HeadersToDownstreamOnAllow),
            };
        }
        return config;
    }

    private static ListStringMatcher? Headers(IReadOnlyList<string> headers)
    {
        if (headers.Count == 0) return null;
        var list = new ListStringMatcher();
        foreach (var header in headers)
        {
            var m = new StringMatcher { IgnoreCase = true };
            if (header.StartsWith('*')) m.Suffix = header[1..];
            else if (header.EndsWith('*')) m.Prefix = header[..^1];
            else m.Exact = header;
            list.Patterns.Add(m);
        }
        return list;
    }
}
