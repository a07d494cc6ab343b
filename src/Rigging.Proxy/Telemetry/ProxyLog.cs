using Microsoft.Extensions.Logging;

namespace Rigging.Proxy.Telemetry;

/// <summary>The proxy's own log lines (config accepted or rejected, lifecycle), source-generated.</summary>
internal static partial class ProxyLog
{
    [LoggerMessage(EventId = 100, Level = LogLevel.Information, Message = "applied {Type} version {Version}: {Count} resources")]
    public static partial void ConfigApplied(ILogger logger, string type, string version, int count);

    [LoggerMessage(EventId = 101, Level = LogLevel.Warning, Message = "rejected {Type} version {Version}: {Reason}")]
    public static partial void ConfigRejected(ILogger logger, string type, string version, string reason);

    [LoggerMessage(EventId = 102, Level = LogLevel.Information, Message = "ready: listeners {Listeners}")]
    public static partial void Ready(ILogger logger, string listeners);

    [LoggerMessage(EventId = 103, Level = LogLevel.Information, Message = "draining: listeners stop accepting; waiting up to {DrainMs} ms")]
    public static partial void Draining(ILogger logger, long drainMs);

    [LoggerMessage(EventId = 104, Level = LogLevel.Information, Message = "admin listening on 127.0.0.1:{Port}")]
    public static partial void AdminListening(ILogger logger, int port);
}
