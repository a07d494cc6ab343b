using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Rigging.Proxy.Http.Forwarding;

namespace Rigging.Proxy.Telemetry;

/// <summary>
/// Envoy's default access log line, one per request, when enabled (off by default: it costs an allocation or
/// several per request):
/// <c>[START_TIME] "METHOD PATH PROTOCOL" CODE FLAGS BYTES_RECEIVED BYTES_SENT DURATION UPSTREAM_TIME "XFF" "USER-AGENT" "REQUEST-ID" "AUTHORITY" "UPSTREAM_HOST"</c>.
/// </summary>
public sealed partial class AccessLog(ILogger logger)
{
    public const string Category = "Rigging.Proxy.AccessLog";

    public void Write(HttpContext context, in ForwardOutcome outcome, TimeSpan elapsed, TimeProvider time)
    {
        if (!logger.IsEnabled(LogLevel.Information)) return;
        var request = context.Request;
        var start = (time.GetUtcNow() - elapsed).ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
        var upstreamTime = context.Response.Headers["x-envoy-upstream-service-time"].ToString();
        Line(
            logger,
            start,
            request.Method,
            request.Path.Value + request.QueryString.Value,
            request.Protocol,
            outcome.Status,
            ResponseFlagNames.Format(outcome.Flags),
            request.ContentLength ?? 0,
            context.Response.ContentLength ?? 0,
            (long)elapsed.TotalMilliseconds,
            Dash(upstreamTime),
            Dash(request.Headers["x-forwarded-for"].ToString()),
            Dash(request.Headers.UserAgent.ToString()),
            Dash(request.Headers["x-request-id"].ToString()),
            Dash(request.Host.Value),
            outcome.UpstreamHost ?? "-");
    }

    private static string Dash(string? value) => string.IsNullOrEmpty(value) ? "-" : value;

    [LoggerMessage(EventId = 1, Level = LogLevel.Information,
        Message = "[{StartTime}] \"{Method} {Path} {Protocol}\" {Status} {Flags} {BytesReceived} {BytesSent} {Duration} {UpstreamServiceTime} \"{ForwardedFor}\" \"{UserAgent}\" \"{RequestId}\" \"{Authority}\" \"{UpstreamHost}\"")]
    private static partial void Line(ILogger logger, string startTime, string method, string path, string protocol, int status, string flags,
        long bytesReceived, long bytesSent, long duration, string upstreamServiceTime, string forwardedFor, string userAgent, string requestId,
        string authority, string upstreamHost);
}
