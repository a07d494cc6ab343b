using System.Buffers;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Rigging.Proxy.Clusters;
using Rigging.Proxy.Clusters.LoadBalancing;
using Rigging.Proxy.Telemetry;

namespace Rigging.Proxy.Http.Forwarding;

public sealed partial class HttpForwarder
{
    private static bool IsUpgrade(HttpContext context) =>
        context.Features.Get<IHttpUpgradeFeature>() is { IsUpgradableRequest: true } && HttpMethods.IsGet(context.Request.Method);

    /// <summary>
    /// An HTTP/1.1 upgrade (WebSocket): the request goes upstream over HTTP/1.1 with its Upgrade header; on 101
    /// SocketsHttpHandler hands back the raw connection as the response stream, Kestrel hands back the client's,
    /// and bytes are copied both ways until either side closes. Any other answer is forwarded as usual.
    /// </summary>
    private async Task<ForwardOutcome> UpgradeAsync(HttpContext context, ClusterState cluster, RoutedRequest routed)
    {
        var endpoint = PickEndpoint(context, cluster, new LoadBalancerContext(routed.Action.Hash?.Compute(context), null), out var refusal);
        if (refusal is not null) return await LocalReplyAsync(context, 400, "invalid original destination: " + refusal, ResponseFlags.None, null);
        if (endpoint is null) return await LocalReplyAsync(context, 503, "no healthy upstream", ResponseFlags.NoHealthyUpstream, null);
        if (!cluster.TryStartRequest(isRetry: false))
            return await LocalReplyAsync(context, 503, "upstream connect error or disconnect/reset before headers. reset reason: overflow", ResponseFlags.UpstreamOverflow, null);
        endpoint.RequestStarted();
        try
        {
            using var request = BuildRequest(context, cluster.Model, endpoint, routed, null, RequestIds.Get(context));
            request.Version = Http11;
            request.Headers.TryAddWithoutValidation("connection", "upgrade");
            request.Headers.TryAddWithoutValidation("upgrade", context.Request.Headers.Upgrade.ToString());
            HttpResponseMessage response;
            try
            {
                response = await cluster.Invoker.SendAsync(request, context.RequestAborted).ConfigureAwait(false);
            }
            catch (HttpRequestException e)
            {
                var failure = RetryDecision.Classify(e);
                return failure == UpstreamFailure.ConnectFailure
                    ? await LocalReplyAsync(context, 503, "upstream connect error or disconnect/reset before headers. reset reason: connection failure",
                        ResponseFlags.UpstreamConnectionFailure, endpoint.Config.Key)
                    : await LocalReplyAsync(context, 503, "upstream connect error or disconnect/reset before headers. reset reason: remote reset",
                        ResponseFlags.UpstreamRemoteReset, endpoint.Config.Key);
            }
            using (response)
            {
                if (response.StatusCode != System.Net.HttpStatusCode.SwitchingProtocols)
                    return await CopyResponseAsync(context, response, routed, ResponseFlags.None, endpoint.Config.Key, context.RequestAborted);
                CopyHeaders(response.Headers, context.Response.Headers);
                if (response.Headers.TryGetValues("upgrade", out var protocol)) context.Response.Headers.Upgrade = protocol.ToArray();
                var upstream = await response.Content.ReadAsStreamAsync(context.RequestAborted).ConfigureAwait(false);
                await using var downstream = await context.Features.Get<IHttpUpgradeFeature>()!.UpgradeAsync().ConfigureAwait(false);
                await using (upstream.ConfigureAwait(false))
                {
                    await BridgeAsync(downstream, upstream, time).ConfigureAwait(false);
                }
                return new ForwardOutcome(101, ResponseFlags.None, endpoint.Config.Key);
            }
        }
        finally
        {
            endpoint.RequestFinished();
            cluster.FinishRequest(isRetry: false);
        }
    }

    /// <summary>Copies both ways; when one way ends the other gets a moment to finish (a close handshake), then both end.</summary>
    internal static async Task BridgeAsync(Stream a, Stream b, TimeProvider time)
    {
        using var stop = new CancellationTokenSource();
        var ab = PumpAsync(a, b, stop.Token);
        var ba = PumpAsync(b, a, stop.Token);
        await Task.WhenAny(ab, ba).ConfigureAwait(false);
        await Task.WhenAny(Task.WhenAll(ab, ba), Task.Delay(TimeSpan.FromSeconds(2), time)).ConfigureAwait(false);
        await stop.CancelAsync().ConfigureAwait(false);
        await Task.WhenAll(ab, ba).ConfigureAwait(false);
    }

    private static async Task PumpAsync(Stream from, Stream to, CancellationToken cancellation)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        try
        {
            while (true)
            {
                var read = await from.ReadAsync(buffer, cancellation).ConfigureAwait(false);
                if (read == 0) break;
                await to.WriteAsync(buffer.AsMemory(0, read), cancellation).ConfigureAwait(false);
                await to.FlushAsync(cancellation).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or ObjectDisposedException or HttpRequestException)
        {
            // Either side went away; the bridge ends both.
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
