using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http;
using Rigging.Proxy.Clusters;
using Rigging.Proxy.Clusters.LoadBalancing;
using Rigging.Proxy.Config;

namespace Rigging.Proxy.Http.Forwarding;

public sealed partial class HttpForwarder
{
    /// <summary>The connection item under which a listener hands its <see cref="ProxyState"/> to the forwarder (for mirrors).</summary>
    internal const string StateItemKey = "rigging.state";

    private static readonly TimeSpan MirrorTimeout = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Envoy's request_mirror_policies: a fire-and-forget copy of the request to each mirror cluster (a fraction
    /// of requests each), its authority suffixed "-shadow". Only body-less requests, or bodies that were kept
    /// whole (≤ 64 KiB), are mirrored; the shadow's answer and failures never touch the main response.
    /// </summary>
    private void Mirror(HttpContext context, RoutedRequest routed, byte[]? body, string requestId)
    {
        var items = context.Features.Get<IConnectionItemsFeature>()?.Items;
        if (items is null || !items.TryGetValue(StateItemKey, out var value) || value is not ProxyState state) return;
        foreach (var mirror in routed.Action.Mirrors)
        {
            if (mirror.Fraction < 1 && random.NextDouble() >= mirror.Fraction) continue;
            if (!state.Current.Clusters.TryGetValue(mirror.Cluster, out var cluster)) continue;
            var endpoint = cluster.Pick(new LoadBalancerContext(null, null));
            if (endpoint is null) continue;
            var request = BuildRequest(context, cluster.Model, endpoint, routed, body is null ? null : new ByteArrayContent(body), requestId);
            request.Headers.Host = ShadowHost(request.Headers.Host ?? "");
            _ = SendMirrorAsync(cluster, request);
        }
    }

    /// <summary>"reviews:9080" → "reviews-shadow:9080", as Envoy names the shadow's authority.</summary>
    internal static string ShadowHost(string host)
    {
        var colon = host.LastIndexOf(':');
        return colon > 0 && host.IndexOf(']', colon) < 0 ? $"{host[..colon]}-shadow{host[colon..]}" : host + "-shadow";
    }

    private async Task SendMirrorAsync(ClusterState cluster, HttpRequestMessage request)
    {
        using (request)
        {
            using var timeout = new CancellationTokenSource(MirrorTimeout, time);
            try
            {
                using var response = await cluster.Invoker.SendAsync(request, timeout.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is HttpRequestException or OperationCanceledException or ObjectDisposedException or IOException)
            {
                // A shadow's failure is nobody's business but the shadow's.
            }
        }
    }
}
