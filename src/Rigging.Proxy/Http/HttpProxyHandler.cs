using System.Runtime.CompilerServices;
using Microsoft.AspNetCore.Http;
using Rigging.Proxy.Config;
using Rigging.Proxy.Http.Filters;
using Rigging.Proxy.Http.Forwarding;
using Rigging.Proxy.Listeners;
using Rigging.Proxy.Routing;
using Rigging.Proxy.Telemetry;

namespace Rigging.Proxy.Http;

/// <summary>
/// The terminal request handler of every HTTP filter chain, on the snapshot the request started with:
/// 1. find the virtual host and route (404 NR when none; 301 to https when the host requires TLS);
/// 2. choose the cluster (weighted pick or cluster_header), as Envoy's route entry does before the filters run;
/// 3. run the connection manager's filters in order (fault, CORS, ...); one may answer;
/// 4. answer directly, redirect, or forward to the cluster.
/// </summary>
public sealed class HttpProxyHandler(ProxyState state, HttpForwarder forwarder, ProxyStats stats, Random random, TimeProvider? time = null)
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;

    public async Task HandleAsync(HttpContext context, HttpConnectionManagerModel hcm)
    {
        var snapshot = state.Current;
        var started = stats.RequestStarted();
        ForwardOutcome outcome;
        try
        {
            outcome = await RouteAsync(context, hcm, snapshot).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            outcome = new ForwardOutcome(499, ResponseFlags.DownstreamConnectionTermination, null);
        }
        catch (IOException) when (context.RequestAborted.IsCancellationRequested)
        {
            outcome = new ForwardOutcome(499, ResponseFlags.DownstreamConnectionTermination, null);
        }
        stats.RequestFinished(hcm.StatPrefix, outcome, started, context);
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<ForwardOutcome> RouteAsync(HttpContext context, HttpConnectionManagerModel hcm, ProxySnapshot snapshot)
    {
        var table = hcm.InlineRoutes ?? (hcm.RouteConfigName is { } name ? snapshot.Routes.GetValueOrDefault(name) : null);
        var host = table?.FindVirtualHost(context.Request.Host.Value ?? "");
        var route = host?.Match(context.Request);
        if (table is null || host is null || route is null)
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return new ForwardOutcome(404, ResponseFlags.NoRouteFound, null);
        }
        if (host.NeedsTlsRedirect(context.Request))
        {
            context.Response.StatusCode = StatusCodes.Status301MovedPermanently;
            context.Response.Headers.Location = Redirects.Https(context.Request);
            return new ForwardOutcome(301, ResponseFlags.None, null);
        }

        string? clusterName = null;
        if (route.Action is ForwardAction chosen)
        {
            if (chosen.ClusterHeader is { } header)
            {
                var named = context.Request.Headers[header];
                clusterName = named.Count == 1 && !string.IsNullOrEmpty(named[0]) ? named[0] : null;
            }
            else
            {
                var index = chosen.Clusters.PickIndex(chosen.Clusters.Clusters.Length == 1 ? 0 : SafeRandom.NextDouble(random));
                clusterName = index < 0 ? null : chosen.Clusters.Clusters[index].Cluster;
                route = route.ForCluster(index);
            }
        }

        HttpFilterContext? filtering = null;
        foreach (var filter in hcm.Filters)
        {
            if (filter.Filter is null) continue;
            filtering ??= new HttpFilterContext(context, route, clusterName, random, _time) { Stats = stats, StatPrefix = hcm.StatPrefix };
            if (await filter.Filter.OnRequestAsync(filtering).ConfigureAwait(false) is { } answered)
                return answered with { Flags = answered.Flags | filtering.Flags };
        }
        var flags = filtering?.Flags ?? ResponseFlags.None;

        switch (route.Action)
        {
            case DirectResponseModel direct:
                context.Response.StatusCode = direct.Status;
                ApplyResponseHeaders(context, table, host, route);
                if (direct.Body is { } body)
                {
                    context.Response.ContentType ??= "text/plain";
                    context.Response.ContentLength = body.Length;
                    await context.Response.Body.WriteAsync(body, context.RequestAborted).ConfigureAwait(false);
                }
                return new ForwardOutcome(direct.Status, flags, null);
            case RedirectActionModel redirect:
                context.Response.StatusCode = redirect.StatusCode;
                context.Response.Headers.Location = Redirects.Location(context.Request, redirect, route.Match.Path.Prefix);
                ApplyResponseHeaders(context, table, host, route);
                return new ForwardOutcome(redirect.StatusCode, flags, null);
            case ForwardAction forward:
                if (clusterName is null || !snapshot.Clusters.TryGetValue(clusterName, out var cluster))
                {
                    // Envoy's cluster_not_found_response_code, with an empty body and NC.
                    return await HttpForwarder.LocalReplyAsync(context, forward.ClusterNotFoundStatus, "", flags | ResponseFlags.NoClusterFound, null)
                        .ConfigureAwait(false);
                }
                var forwarded = await forwarder.ForwardAsync(context, cluster, new RoutedRequest(table, host, route, forward)).ConfigureAwait(false);
                return flags == ResponseFlags.None ? forwarded : forwarded with { Flags = forwarded.Flags | flags };
            default:
                throw new InvalidOperationException($"unknown route action {route.Action.GetType().Name}");
        }
    }

    /// <summary>Local answers from a route get its response header changes too: route, then virtual host, then table.</summary>
    private static void ApplyResponseHeaders(HttpContext context, RouteTable table, VirtualHostModel host, RouteModel route)
    {
        route.ResponseHeaders.Apply(context.Response.Headers);
        host.ResponseHeaders.Apply(context.Response.Headers);
        table.ResponseHeaders.Apply(context.Response.Headers);
    }
}
