using System.Globalization;
using System.Runtime.CompilerServices;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Rigging.Proxy.Clusters;
using Rigging.Proxy.Clusters.LoadBalancing;
using Rigging.Proxy.Routing;
using Rigging.Proxy.Telemetry;

namespace Rigging.Proxy.Http.Forwarding;

/// <summary>
/// Sends one downstream request to a cluster and streams the answer back, without buffering bodies:
/// 0. an HTTP/1.1 upgrade (WebSocket) goes to <see cref="UpgradeAsync"/>: 101 upstream, then bytes both ways;
/// 1. pick an endpoint (avoiding the previous one on a retry when the policy asks);
/// 2. build the upstream request (rewritten path and host, filtered headers, x-forwarded-for, x-request-id);
/// 3. send it under the route timeout and the per-try timeout;
/// 4. on a connect failure, reset or retriable status, and while retries remain, back off and go to 1 — a
///    request body is replayable only while it fits <see cref="ReplayableBody.Limit"/> (64 KiB);
/// 5. copy status, headers, body and trailers downstream; shadow the request to the route's mirrors.
/// Local failures answer as Envoy does (503 UH/UF/UO, 504 UT) and set the response flags.
/// </summary>
public sealed partial class HttpForwarder(Random random, TimeProvider time)
{
    // Pooled state machines: these run once per request, and their boxes were a sixth of its allocations.
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<ForwardOutcome> ForwardAsync(HttpContext context, ClusterState cluster, RoutedRequest routed)
    {
        if (IsUpgrade(context)) return await UpgradeAsync(context, cluster, routed).ConfigureAwait(false);
        var policy = routed.Action.Retry ?? routed.Host.Retry;
        var hasBody = HasBody(context);
        var mirrors = routed.Action.Mirrors;
        // One id for every attempt and mirror of this request.
        var requestId = RequestIds.Get(context);
        using var body = hasBody && (policy is not null || !mirrors.IsEmpty) ? new ReplayableBody(context.Request.Body) : null;
        if (!hasBody && !mirrors.IsEmpty) Mirror(context, routed, null, requestId);
        var outcome = await ForwardAttemptsAsync(context, cluster, routed, policy, hasBody, body, requestId).ConfigureAwait(false);
        if (body is { Complete: true, CanReplay: true } && !mirrors.IsEmpty) Mirror(context, routed, body.Kept.ToArray(), requestId);
        return outcome;
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<ForwardOutcome> ForwardAttemptsAsync(HttpContext context, ClusterState cluster, RoutedRequest routed,
        RetryPolicyModel? policy, bool hasBody, ReplayableBody? body, string requestId)
    {
        var attempts = policy is null ? 1 : 1 + policy.NumRetries;
        // Timeouts get linked token sources only when configured (Istio sets none by default): each one costs a
        // source, a registration on the request's token and one on the upstream send.
        using var routeTimeout = routed.Action.Timeout > TimeSpan.Zero ? CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted) : null;
        routeTimeout?.CancelAfter(routed.Action.Timeout);
        var routeToken = routeTimeout?.Token ?? context.RequestAborted;

        EndpointState? previous = null;
        var flags = ResponseFlags.None;
        var hash = routed.Action.Hash?.Compute(context);
        for (var attempt = 0; ; attempt++)
        {
            // A body that outgrew the replay buffer (or could not be kept) is not sent twice.
            var last = attempt + 1 >= attempts || (hasBody && body?.CanReplay != true);
            var endpoint = PickEndpoint(context, cluster, new LoadBalancerContext(hash, policy?.AvoidPreviousHosts == true ? previous : null), out var refusal);
            if (refusal is not null) return await LocalReplyAsync(context, 400, "invalid original destination: " + refusal, flags, null);
            if (endpoint is null) return await LocalReplyAsync(context, 503, "no healthy upstream", flags | ResponseFlags.NoHealthyUpstream, null);
            previous = endpoint;
            // Circuit breakers: over the cluster's request (or retry) budget, answer 503 UO without trying.
            if (!cluster.TryStartRequest(isRetry: attempt > 0))
                return await LocalReplyAsync(context, 503, "upstream connect error or disconnect/reset before headers. reset reason: overflow",
                    flags | ResponseFlags.UpstreamOverflow, null);

            using var perTry = policy?.PerTryTimeout > TimeSpan.Zero ? CancellationTokenSource.CreateLinkedTokenSource(routeToken) : null;
            perTry?.CancelAfter(policy!.PerTryTimeout);
            HttpContent? content = !hasBody ? null
                : body is not null ? new StreamingContent(await body.NextAttemptAsync().ConfigureAwait(false))
                : new StreamingContent(context.Request.Body);
            using var request = BuildRequest(context, cluster.Model, endpoint, routed, content, requestId);
            if (policy is not null) request.Headers.TryAddWithoutValidation("x-envoy-attempt-count", (attempt + 1).ToString(CultureInfo.InvariantCulture));
            HttpResponseMessage response;
            endpoint.RequestStarted();
            var sent = time.GetTimestamp();
            try
            {
                response = await cluster.Invoker.SendAsync(request, perTry?.Token ?? routeToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is HttpRequestException or OperationCanceledException)
            {
                endpoint.RequestFinished();
                cluster.FinishRequest(isRetry: attempt > 0);
                if (context.RequestAborted.IsCancellationRequested)
                    return new ForwardOutcome(499, flags | ResponseFlags.DownstreamConnectionTermination, endpoint.Config.Key);
                if (routeTimeout?.IsCancellationRequested == true)
                    return await LocalReplyAsync(context, 504, "upstream request timeout", flags | ResponseFlags.UpstreamRequestTimeout, endpoint.Config.Key);
                var failure = e is HttpRequestException h ? RetryDecision.Classify(h) : UpstreamFailure.PerTryTimeout;
                endpoint.ReportFailure(failure);
                if (!last && RetryDecision.ShouldRetry(policy!, failure))
                {
                    await DelayAsync(RetryDecision.Backoff(policy!, attempt, random), routeToken);
                    continue;
                }
                if (policy is not null && attempt > 0) flags |= ResponseFlags.UpstreamRetryLimitExceeded;
                return failure switch
                {
                    UpstreamFailure.PerTryTimeout => await LocalReplyAsync(context, 504, "upstream request timeout", flags | ResponseFlags.UpstreamRequestTimeout, endpoint.Config.Key),
                    UpstreamFailure.ConnectFailure => await LocalReplyAsync(context, 503,
                        "upstream connect error or disconnect/reset before headers. reset reason: connection failure" + Security.Tls.UpstreamTlsException.TransportFailureSuffix(e),
                        flags | ResponseFlags.UpstreamConnectionFailure, endpoint.Config.Key),
                    _ => await LocalReplyAsync(context, 503,
                        "upstream connect error or disconnect/reset before headers. reset reason: remote reset",
                        flags | ResponseFlags.UpstreamRemoteReset, endpoint.Config.Key),
                };
            }

            using (response)
            {
                try
                {
                    var status = (int)response.StatusCode;
                    endpoint.ReportStatus(status);
                    if (policy is not null && RetryDecision.ShouldRetry(policy, status, GrpcStatus(response)))
                    {
                        if (!last)
                        {
                            await DelayAsync(RetryDecision.Backoff(policy, attempt, random), routeToken);
                            continue;
                        }
                        flags |= ResponseFlags.UpstreamRetryLimitExceeded;
                    }
                    var serviceTime = (long)time.GetElapsedTime(sent).TotalMilliseconds;
                    context.Response.Headers["x-envoy-upstream-service-time"] = serviceTime.ToString(CultureInfo.InvariantCulture);
                    return await CopyResponseAsync(context, response, routed, flags, endpoint.Config.Key, routeToken);
                }
                finally
                {
                    endpoint.RequestFinished();
                    cluster.FinishRequest(isRetry: attempt > 0);
                }
            }
        }
    }

    private static bool HasBody(HttpContext context) =>
        context.Features.Get<IHttpRequestBodyDetectionFeature>()?.CanHaveBody ?? (context.Request.ContentLength > 0);

    private static string? GrpcStatus(HttpResponseMessage response) =>
        response.Headers.TryGetValues("grpc-status", out var values) ? values.FirstOrDefault() : null;

    private async Task DelayAsync(TimeSpan delay, CancellationToken cancellation)
    {
        try
        {
            await Task.Delay(delay, time, cancellation).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // The route timeout or the client ended the wait; the next attempt sees it.
        }
    }

    /// <summary>Answers from the proxy itself, as Envoy's local replies do (text/plain body, the flags set).</summary>
    public static async Task<ForwardOutcome> LocalReplyAsync(HttpContext context, int status, string body, ResponseFlags flags, string? upstream)
    {
        if (!context.Response.HasStarted)
        {
            context.Response.StatusCode = status;
            context.Response.ContentType = "text/plain";
            await context.Response.WriteAsync(body, context.RequestAborted).ConfigureAwait(false);
        }
        return new ForwardOutcome(status, flags, upstream);
    }
}
