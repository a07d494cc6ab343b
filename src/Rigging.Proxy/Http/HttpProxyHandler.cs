using Microsoft.AspNetCore.Http;
using Rigging.Proxy.Config;
using Rigging.Proxy.Http.Forwarding;
using Rigging.Proxy.Listeners;
using Rigging.Proxy.Routing;
using Rigging.Proxy.Telemetry;

namespace Rigging.Proxy.Http;

/// <summary>
/// The terminal request handler of every HTTP filter chain: find the route in the snapshot the request started
/// with, then answer directly, redirect, or forward to the route's cluster.
/// </summary>
public sealed class HttpProxyHandler(ProxyState state, HttpForwarder forwarder, ProxyStats stats, Random random)
{
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
        stats.RequestFinished(hcm.StatPrefix, outcome, started);
    }

    private async Task<ForwardOutcome> RouteAsync(HttpContext context, HttpConnectionManagerModel hcm, ProxySnapshot snapshot)
    {
        var table = hcm.InlineRoutes ?? (hcm.RouteConfigName is { } name ? snapshot.Routes.GetValueOrDefault(name) : null);
        var host = table?.FindVirtualHost(context.Request.Host.Value ?? "");
        var route = host?.Match(context.Request);
        if (table is null || host is null || route is null)
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return new ForwardOutcome(404, ResponseFlags.NoRouteFound, null);
        }

        foreach (var filter in hcm.Filters)
        {
            if (filter.Filter is null) continue;
            if (await filter.Filter.OnRequestAsync(context, route).ConfigureAwait(false) is { } answered) return answered;
        }

        switch (route.Action)
        {
            case DirectResponseModel direct:
                context.Response.StatusCode = direct.Status;
                route.ResponseHeaders.Apply(context.Response.Headers);
                if (direct.Body is { } body) await context.Response.Body.WriteAsync(body, context.RequestAborted).ConfigureAwait(false);
                return new ForwardOutcome(direct.Status, ResponseFlags.None, null);
            case RedirectActionModel redirect:
                context.Response.StatusCode = redirect.StatusCode;
                context.Response.Headers.Location = Redirects.Location(context.Request, redirect, route.Match.Path.Prefix);
                return new ForwardOutcome(redirect.StatusCode, ResponseFlags.None, null);
            case ForwardAction forward:
                var clusterName = forward.Clusters.Pick(random.NextDouble());
                if (clusterName is null || !snapshot.Clusters.TryGetValue(clusterName, out var cluster))
                    return await HttpForwarder.LocalReplyAsync(context, 503, "no healthy upstream", ResponseFlags.NoClusterFound, null).ConfigureAwait(false);
                return await forwarder.ForwardAsync(context, cluster, new RoutedRequest(table, host, route, forward)).ConfigureAwait(false);
            default:
                throw new InvalidOperationException($"unknown route action {route.Action.GetType().Name}");
        }
    }
}
