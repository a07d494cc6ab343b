using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Rigging.Proxy.Clusters;
using Rigging.Proxy.Clusters.LoadBalancing;
using Rigging.Proxy.Routing;
using Rigging.Proxy.Telemetry;

namespace Rigging.Proxy.Http.Forwarding;

/// <summary>
/// Sends one downstream request to a cluster and streams the answer back, without buffering bodies:
/// 1. pick an endpoint (avoiding the previous one on a retry when the policy asks);
/// 2. build the upstream request (rewritten path and host, filtered headers, x-forwarded-for, x-request-id);
/// 3. send it under the route timeout and the per-try timeout;
/// 4. on a connect failure, reset or retriable status, and while retries remain, back off and go to 1;
/// 5. copy status, headers, body and trailers downstream.
/// Local failures answer as Envoy does (503 UH/UF/UO, 504 UT) and set the response flags.
/// </summary>
public sealed partial class HttpForwarder(Random random, TimeProvider time)
{
    public async Task<ForwardOutcome> ForwardAsync(HttpContext context, ClusterState cluster, RoutedRequest routed)
    {
        var policy = routed.Action.Retry ?? routed.Host.Retry;
        // A request body streams through once; it can be replayed only when there is none.
        var canRetry = policy is not null && !HasBody(context);
        var attempts = canRetry ? 1 + policy!.NumRetries : 1;
        using var routeTimeout = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
        if (routed.Action.Timeout > TimeSpan.Zero) routeTimeout.CancelAfter(routed.Action.Timeout);

        EndpointState? previous = null;
        var flags = ResponseFlags.None;
        var hash = routed.Action.Hash?.Compute(context);
        for (var attempt = 0; ; attempt++)
        {
            var last = attempt + 1 >= attempts;
            var endpoint = cluster.Pick(new LoadBalancerContext(hash, policy?.AvoidPreviousHosts == true ? previous : null));
            if (endpoint is null) return await LocalReplyAsync(context, 503, "no healthy upstream", flags | ResponseFlags.NoHealthyUpstream, null);
            previous = endpoint;
            // Circuit breakers: over the cluster's request (or retry) budget, answer 503 UO without trying.
            if (!cluster.TryStartRequest(isRetry: attempt > 0))
                return await LocalReplyAsync(context, 503, "upstream connect error or disconnect/reset before headers. reset reason: overflow",
                    flags | ResponseFlags.UpstreamOverflow, null);

            using var perTry = CancellationTokenSource.CreateLinkedTokenSource(routeTimeout.Token);
            if (policy?.PerTryTimeout > TimeSpan.Zero) perTry.CancelAfter(policy.PerTryTimeout);
            using var request = BuildRequest(context, cluster.Model, endpoint, routed);
            HttpResponseMessage response;
            endpoint.RequestStarted();
            try
            {
                response = await cluster.Invoker.SendAsync(request, perTry.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is HttpRequestException or OperationCanceledException)
            {
                endpoint.RequestFinished();
                cluster.FinishRequest(isRetry: attempt > 0);
                if (context.RequestAborted.IsCancellationRequested)
                    return new ForwardOutcome(499, flags | ResponseFlags.DownstreamConnectionTermination, endpoint.Config.Key);
                if (routeTimeout.IsCancellationRequested)
                    return await LocalReplyAsync(context, 504, "upstream request timeout", flags | ResponseFlags.UpstreamRequestTimeout, endpoint.Config.Key);
                var failure = e is HttpRequestException h ? RetryDecision.Classify(h) : UpstreamFailure.PerTryTimeout;
                endpoint.ReportFailure(failure);
                if (!last && RetryDecision.ShouldRetry(policy!, failure))
                {
                    await DelayAsync(RetryDecision.Backoff(policy!, attempt, random), routeTimeout.Token);
                    continue;
                }
                if (canRetry && !last) flags |= ResponseFlags.UpstreamRetryLimitExceeded;
                return failure switch
                {
                    UpstreamFailure.PerTryTimeout => await LocalReplyAsync(context, 504, "upstream request timeout", flags | ResponseFlags.UpstreamRequestTimeout, endpoint.Config.Key),
                    UpstreamFailure.ConnectFailure => await LocalReplyAsync(context, 503,
                        "upstream connect error or disconnect/reset before headers. reset reason: connection failure",
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
                    if (canRetry && RetryDecision.ShouldRetry(policy!, status, GrpcStatus(response)))
                    {
                        if (!last)
                        {
                            await DelayAsync(RetryDecision.Backoff(policy!, attempt, random), routeTimeout.Token);
                            continue;
                        }
                        flags |= ResponseFlags.UpstreamRetryLimitExceeded;
                    }
                    return await CopyResponseAsync(context, response, routed, flags, endpoint.Config.Key, routeTimeout.Token);
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
