using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http;
using Rigging.Proxy.Clusters;
using Rigging.Proxy.Clusters.LoadBalancing;
using Rigging.Proxy.Config;
using Rigging.Proxy.Http.Filters.Rbac;
using Rigging.Proxy.Http.Forwarding;

using Rigging.Proxy.Telemetry;

namespace Rigging.Proxy.Http.Filters.ExtAuthz;

/// <summary>
/// envoy.filters.http.ext_authz in HTTP service mode, as Envoy's filter behaves:
/// 1. with filter_enabled_metadata, only requests whose dynamic metadata matches are checked (Istio's CUSTOM
///    action marks them with an RBAC shadow policy); others pass (ext_authz.disabled);
/// 2. the check is the client's method to path_prefix + path with Host, Authorization, allowed headers and
///    headers_to_add, no body, sent to an endpoint of server_uri.cluster within server_uri.timeout;
/// 3. 200 allows: allowed_upstream_headers from the answer replace (or, _to_append, join) the request's headers
///    and allowed_client_headers_on_success go to the client; any other status denies: the client gets that
///    status, body and the allowed_client_headers;
/// 4. no answer (down, timeout): failure_mode_allow lets the request on, else status_on_error (403) answers.
/// </summary>
public sealed partial class ExtAuthzFilter(ExtAuthzConfig config) : IHttpFilter
{
    public const string Name = "envoy.filters.http.ext_authz";
    private const int MaxDeniedBody = 64 * 1024;

    public ExtAuthzConfig Config => config;

    public async ValueTask<ForwardOutcome?> OnRequestAsync(HttpFilterContext request)
    {
        if (config.EnabledMetadata is { } gate && !gate.Matches(RbacInput.FromHttp(request.Http)))
        {
            Count(request, "ext_authz.disabled");
            return null;
        }
        var cluster = FindCluster(request.Http);
        var endpoint = cluster?.Pick(new LoadBalancerContext(null, null));
        if (cluster is null || endpoint is null) return await FailAsync(request).ConfigureAwait(false);

        using var check = BuildCheck(request.Http, cluster.Model.Http2, endpoint.Config.Key);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(request.Http.RequestAborted);
        timeout.CancelAfter(config.Timeout);
        HttpResponseMessage answer;
        try
        {
            answer = await cluster.Invoker.SendAsync(check, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException or IOException)
        {
            request.Http.RequestAborted.ThrowIfCancellationRequested();
            return await FailAsync(request).ConfigureAwait(false);
        }
        using (answer)
        {
            if (answer.StatusCode == System.Net.HttpStatusCode.OK)
            {
                Count(request, "ext_authz.ok");
                ApplyAllowed(request.Http, answer);
                return null;
            }
            Count(request, "ext_authz.denied");
            return await DenyAsync(request, answer, timeout.Token).ConfigureAwait(false);
        }
    }

    private static ClusterState? FindCluster(HttpContext context, string name)
    {
        var items = context.Features.Get<IConnectionItemsFeature>()?.Items;
        return items is not null && items.TryGetValue(HttpForwarder.StateItemKey, out var value) && value is ProxyState state
            && state.Current.Clusters.TryGetValue(name, out var cluster) ? cluster : null;
    }

    private ClusterState? FindCluster(HttpContext context) => FindCluster(context, config.Cluster);

    private async ValueTask<ForwardOutcome?> FailAsync(HttpFilterContext request)
    {
        Count(request, "ext_authz.error");
        if (config.FailureModeAllow)
        {
            Count(request, "ext_authz.failure_mode_allowed");
            return null;
        }
        request.Flags |= ResponseFlags.UnauthorizedExternalService;
        return await HttpForwarder.LocalReplyAsync(request.Http, config.StatusOnError, "", request.Flags, null).ConfigureAwait(false);
    }

    private static void Count(HttpFilterContext request, string name) => request.Stats?.Increment(request.StatPrefix, name);
}
