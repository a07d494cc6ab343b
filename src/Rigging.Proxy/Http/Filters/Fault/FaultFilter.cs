using System.Globalization;
using Microsoft.AspNetCore.Http;
using Rigging.Proxy.Http.Forwarding;
using Rigging.Proxy.Routing;
using Rigging.Proxy.Telemetry;

namespace Rigging.Proxy.Http.Filters.Fault;

/// <summary>
/// envoy.filters.http.fault, as Envoy's fault filter behaves:
/// 1. the route's HTTPFault (typed_per_filter_config) replaces the filter's own; none configured, nothing happens;
/// 2. the fault applies only to matching requests (upstream_cluster, headers, downstream_nodes) and while fewer
///    than max_active_faults are active;
/// 3. a delay (fixed, or from x-envoy-fault-delay-request when header_delay is set) is drawn against its
///    percentage; waiting sets DI and the request continues;
/// 4. then an abort (fixed, or from x-envoy-fault-abort-request / -grpc-request when header_abort is set) is
///    drawn; it answers with the status and "fault filter abort" (gRPC requests get trailers-only) and sets FI.
/// </summary>
public sealed class FaultFilter(string name, FaultConfig config) : IHttpFilter
{
    public const string DelayHeader = "x-envoy-fault-delay-request";
    public const string DelayPercentageHeader = "x-envoy-fault-delay-request-percentage";
    public const string AbortHeader = "x-envoy-fault-abort-request";
    public const string AbortGrpcHeader = "x-envoy-fault-abort-grpc-request";
    public const string AbortPercentageHeader = "x-envoy-fault-abort-request-percentage";
    private const string AbortBody = "fault filter abort";
    private int _active;

    public FaultConfig Config => config;

    /// <summary>Requests currently in a fault (a delay, or an abort being answered).</summary>
    public int ActiveFaults => Volatile.Read(ref _active);

    public async ValueTask<ForwardOutcome?> OnRequestAsync(HttpFilterContext request)
    {
        var fault = request.RouteConfig<FaultConfig>(name) ?? config;
        if (fault.IsEmpty || !Applies(fault, request)) return null;
        var headers = request.Http.Request.Headers;
        if (fault.MaxActiveFaults is { } max && Volatile.Read(ref _active) >= max) return null;

        var delay = fault.Delay is { } d ? DelayFor(d, headers, request) : null;
        var abort = fault.Abort is { } a ? AbortFor(a, headers, request) : null;
        if (delay is null && abort is null) return null;

        Interlocked.Increment(ref _active);
        request.Http.Response.OnCompleted(static self => ((FaultFilter)self).Release(), this);
        if (delay is { } wait)
        {
            await Task.Delay(wait, request.Time, request.Http.RequestAborted).ConfigureAwait(false);
            request.Flags |= ResponseFlags.DelayInjected;
        }
        if (abort is not { } status) return null;
        request.Flags |= ResponseFlags.FaultInjected;
        return await AbortAsync(request.Http, status.Http, status.Grpc, request.Flags).ConfigureAwait(false);
    }

    private Task Release()
    {
        Interlocked.Decrement(ref _active);
        return Task.CompletedTask;
    }

    private static bool Applies(FaultConfig fault, HttpFilterContext request)
    {
        if (fault.UpstreamCluster is { } cluster && !string.Equals(cluster, request.Cluster, StringComparison.Ordinal)) return false;
        foreach (var header in fault.Headers)
        {
            if (!header.Matches(request.Http.Request)) return false;
        }
        if (fault.DownstreamNodes.Count > 0)
        {
            var node = request.Http.Request.Headers["x-envoy-downstream-service-node"].ToString();
            if (!fault.DownstreamNodes.Contains(node)) return false;
        }
        return true;
    }

    private static TimeSpan? DelayFor(FaultDelayConfig delay, IHeaderDictionary headers, HttpFilterContext request)
    {
        TimeSpan duration;
        if (delay.FromHeader)
        {
            if (!TryUInt(headers, DelayHeader, out var ms) || ms == 0) return null;
            duration = TimeSpan.FromMilliseconds(ms);
        }
        else duration = delay.Fixed!.Value;
        return delay.Percentage.Draw(request, headers, delay.FromHeader ? DelayPercentageHeader : null) ? duration : null;
    }

    private static (int? Http, int? Grpc)? AbortFor(FaultAbortConfig abort, IHeaderDictionary headers, HttpFilterContext request)
    {
        int? http = abort.HttpStatus, grpc = abort.GrpcStatus;
        if (abort.FromHeader)
        {
            // Envoy ignores a status outside 200-599 rather than failing the request.
            if (TryUInt(headers, AbortHeader, out var h) && h is >= 200 and < 600) http = (int)h;
            if (TryUInt(headers, AbortGrpcHeader, out var g)) grpc = (int)g;
            if (http is null && grpc is null) return null;
        }
        return abort.Percentage.Draw(request, headers, abort.FromHeader ? AbortPercentageHeader : null) ? (http, grpc) : null;
    }

    /// <summary>Envoy's local reply: HTTP status and body, or for a gRPC request a trailers-only 200 with grpc-status.</summary>
    private static async Task<ForwardOutcome> AbortAsync(HttpContext context, int? http, int? grpc, ResponseFlags flags)
    {
        var status = http ?? StatusCodes.Status503ServiceUnavailable;
        if (!RouteMatcher.IsGrpc(context.Request))
            return await HttpForwarder.LocalReplyAsync(context, status, AbortBody, flags, null).ConfigureAwait(false);
        var response = context.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "application/grpc";
        response.Headers["grpc-status"] = (grpc ?? GrpcStatusOf(status)).ToString(CultureInfo.InvariantCulture);
        response.Headers["grpc-message"] = AbortBody;
        return new ForwardOutcome(StatusCodes.Status200OK, flags, null);
    }

    /// <summary>Envoy's HTTP → gRPC status mapping for local replies (Grpc::Utility::httpToGrpcStatus).</summary>
    private static int GrpcStatusOf(int http) => http switch
    {
        400 => 13,
        401 => 16,
        403 => 7,
        404 => 12,
        429 or 502 or 503 or 504 => 14,
        _ => 2,
    };

    private static bool TryUInt(IHeaderDictionary headers, string header, out uint value)
    {
        value = 0;
        return headers.TryGetValue(header, out var raw) && raw.Count > 0
            && uint.TryParse(raw[0], NumberStyles.None, CultureInfo.InvariantCulture, out value);
    }
}
