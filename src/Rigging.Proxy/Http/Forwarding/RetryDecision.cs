using System.Net.Sockets;
using Rigging.Proxy.Routing;

namespace Rigging.Proxy.Http.Forwarding;

/// <summary>Envoy's retry_on conditions applied to one attempt's result.</summary>
internal static class RetryDecision
{
    public static bool ShouldRetry(RetryPolicyModel policy, int status, string? grpcStatus)
    {
        var on = policy.On;
        if ((on & RetryOn.FiveXx) != 0 && status >= 500) return true;
        if ((on & RetryOn.GatewayError) != 0 && status is 502 or 503 or 504) return true;
        if ((on & RetryOn.Retriable4xx) != 0 && status == 409) return true;
        if ((on & RetryOn.RetriableStatusCodes) != 0 && policy.RetriableStatusCodes.Contains(status)) return true;
        if (grpcStatus is null) return false;
        return grpcStatus switch
        {
            "1" => (on & RetryOn.GrpcCancelled) != 0,
            "4" => (on & RetryOn.GrpcDeadlineExceeded) != 0,
            "8" => (on & RetryOn.GrpcResourceExhausted) != 0,
            "13" => (on & RetryOn.GrpcInternal) != 0,
            "14" => (on & RetryOn.GrpcUnavailable) != 0,
            _ => false,
        };
    }

    /// <summary>A failure before any response: connect failures and resets are retried when asked for.</summary>
    public static bool ShouldRetry(RetryPolicyModel policy, UpstreamFailure failure) => failure switch
    {
        UpstreamFailure.ConnectFailure => (policy.On & (RetryOn.ConnectFailure | RetryOn.FiveXx | RetryOn.GatewayError | RetryOn.Reset | RetryOn.ResetBeforeRequest)) != 0,
        UpstreamFailure.Reset => (policy.On & (RetryOn.Reset | RetryOn.FiveXx | RetryOn.GatewayError)) != 0,
        UpstreamFailure.RefusedStream => (policy.On & (RetryOn.RefusedStream | RetryOn.Reset)) != 0,
        UpstreamFailure.PerTryTimeout => (policy.On & (RetryOn.FiveXx | RetryOn.GatewayError | RetryOn.Reset)) != 0,
        _ => false,
    };

    public static UpstreamFailure Classify(HttpRequestException e)
    {
        if (e.HttpRequestError == HttpRequestError.ConnectionError || e.InnerException is SocketException) return UpstreamFailure.ConnectFailure;
        return e.InnerException is System.Net.Http.HttpProtocolException { ErrorCode: 0x7 } ? UpstreamFailure.RefusedStream : UpstreamFailure.Reset;
    }

    /// <summary>Exponential backoff with full jitter, as Envoy does: random(0, min(max, base·2^n)).</summary>
    public static TimeSpan Backoff(RetryPolicyModel policy, int retry, Random random)
    {
        var ceiling = Math.Min(policy.BackoffMax.TotalMilliseconds, policy.BackoffBase.TotalMilliseconds * Math.Pow(2, retry));
        return TimeSpan.FromMilliseconds(random.NextDouble() * ceiling);
    }
}

/// <summary>How an attempt failed before the upstream answered.</summary>
internal enum UpstreamFailure
{
    ConnectFailure,
    Reset,
    RefusedStream,
    PerTryTimeout,
}
